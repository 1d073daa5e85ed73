"""Record types and the registry the store, the importer and the API look them up in.

A new record type (missing persons, case files, inmates…) plugs in by adding a model
deriving from :class:`RecordBody` and listing it in :data:`RECORD_TYPES`; nothing else in the
store, ingestion or policy changes.
"""

from __future__ import annotations

from plataforma.model.records.agency import Agency, AgencyKind, AgencyLevel
from plataforma.model.records.base import ENVELOPE_FIELDS, MatchKey, Place, RecordBody
from plataforma.model.records.incident import Incident
from plataforma.model.records.justice import Detention, DetentionType, ProtectionOrder, Warrant
from plataforma.model.records.objects import Firearm, Vehicle, VehicleStatus
from plataforma.model.records.person import Person, PersonRef, PersonRole
from plataforma.model.records.seizure import Seizure

RECORD_TYPES: dict[str, type[RecordBody]] = {
    model.record_type: model
    for model in (
        Agency,
        Person,
        Vehicle,
        Firearm,
        Incident,
        Detention,
        Warrant,
        ProtectionOrder,
        Seizure,
    )
}


class UnknownRecordType(LookupError):
    """Raised for a record type the registry does not hold."""


def record_model(record_type: str) -> type[RecordBody]:
    """The model for ``record_type``; raises :class:`UnknownRecordType` with the known ones."""
    try:
        return RECORD_TYPES[record_type]
    except KeyError:
        known = ", ".join(sorted(RECORD_TYPES))
        raise UnknownRecordType(f"unknown record type '{record_type}' (known: {known})") from None


__all__ = [
    "ENVELOPE_FIELDS",
    "RECORD_TYPES",
    "Agency",
    "AgencyKind",
    "AgencyLevel",
    "Detention",
    "DetentionType",
    "Firearm",
    "Incident",
    "MatchKey",
    "Person",
    "PersonRef",
    "PersonRole",
    "Place",
    "ProtectionOrder",
    "RecordBody",
    "Seizure",
    "UnknownRecordType",
    "Vehicle",
    "VehicleStatus",
    "Warrant",
    "record_model",
]
