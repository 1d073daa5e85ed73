"""Detentions (RND minimum record), warrants and protection orders.

Each names its subject with the person fields inline, so that a flat CSV row can carry it and
an inquiry on the subject's name, date of birth or CURP finds the record.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from plataforma.model.envelope import Flag
from plataforma.model.records.base import MatchKey, Place, RecordBody, Strict
from plataforma.model.records.fields import (
    CrimeTypeList,
    Day,
    EventDay,
    EventTime,
    ShortText,
    StateCode,
    Text,
    TextList,
)
from plataforma.model.records.person import PersonFields, PersonRef
from plataforma.model.roles import COURT_ENTRY, FIELD_ENTRY


class SubjectRecord(RecordBody, PersonFields):
    """A record about one person, found by that person's keys."""

    def match_keys(self) -> list[MatchKey]:
        return self.person_keys()

    def identifier_flags(self) -> list[Flag]:
        return self.person_flags()


class DetentionType(StrEnum):
    WARRANT = "orden_de_aprehension"
    FLAGRANCIA = "flagrancia"
    CASO_URGENTE = "caso_urgente"
    ADMINISTRATIVE = "administrativa"


class TrustedContact(Strict):
    name: ShortText
    relationship: ShortText | None = None
    phone: ShortText | None = None


class Detention(SubjectRecord):
    """Registro Nacional de Detenciones: who, when, where, why, how, by whom, handed to whom."""

    record_type = "detention"
    entered_by = FIELD_ENTRY | COURT_ENTRY

    detained_at: EventTime
    place: Place
    detention_type: DetentionType
    reasons: CrimeTypeList
    arresting_officers: TextList = Field(min_length=1)
    arresting_agency: ShortText | None = None
    receiving_authority: ShortText
    trusted_contact: TrustedContact | None = None
    incident_folio: ShortText | None = None
    description: Text | None = None

    def jurisdiction(self) -> str | None:
        return self.place.state


class WarrantType(StrEnum):
    ARREST = "aprehension"
    APPEARANCE = "comparecencia"
    REARREST = "reaprehension"
    SEARCH = "cateo"


class Warrant(SubjectRecord):
    """A court's order; ``armed_and_dangerous`` is the caveat a stop must see first."""

    record_type = "warrant"
    entered_by = COURT_ENTRY
    retention_years = 30

    warrant_type: WarrantType
    case_number: ShortText
    issued_by: ShortText
    issued_at: EventDay
    issuing_state: StateCode | None = None
    crime_types: CrimeTypeList
    armed_and_dangerous: bool = False
    caveats: Text | None = None
    expires_at: Day | None = None

    def jurisdiction(self) -> str | None:
        return self.issuing_state


class ProtectionOrder(SubjectRecord):
    """An order protecting someone; the respondent's fields are the record's subject."""

    record_type = "protection_order"
    entered_by = COURT_ENTRY

    protected: PersonRef
    issued_by: ShortText
    issued_at: EventDay
    expires_at: Day | None = None
    order_type: ShortText | None = None
    conditions: TextList = Field(default_factory=list)
    case_number: ShortText | None = None
    state: StateCode | None = None

    def jurisdiction(self) -> str | None:
        return self.state


__all__ = [
    "Detention",
    "DetentionType",
    "ProtectionOrder",
    "Strict",
    "Warrant",
    "WarrantType",
]
