"""How stored values read on a page: code names instead of codes, labels for field names.

Records keep codes ("14", "robo_de_vehiculo_automotor"); people read names ("Jalisco",
"Robo de vehículo automotor"). Labels are marked with ``N_`` so Babel extracts them and the
page translates them at render time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

from plataforma.model.codes import (
    CodeError,
    all_crime_types,
    all_states,
    resolve_crime_type,
    resolve_municipality,
    resolve_state,
)
from plataforma.security.policy import Purpose
from plataforma.security.principal import Role


def N_(message: str) -> str:
    return message


FIELD_LABELS: dict[str, str] = {
    "folio": N_("Folio"),
    "first_responder": N_("First responder"),
    "occurred_at": N_("Occurred at"),
    "reported_at": N_("Reported at"),
    "place": N_("Place"),
    "state": N_("State"),
    "municipality": N_("Municipality"),
    "locality": N_("Locality"),
    "street": N_("Street"),
    "postal_code": N_("Postal code"),
    "latitude": N_("Latitude"),
    "longitude": N_("Longitude"),
    "crime_types": N_("Crime types"),
    "narrative": N_("Narrative"),
    "persons": N_("Persons"),
    "detentions": N_("Detentions"),
    "vehicles": N_("Vehicles"),
    "weapons": N_("Weapons"),
    "objects": N_("Objects"),
    "interviews": N_("Interviews"),
    "person": N_("Person"),
    "role": N_("Role"),
    "given_names": N_("Given names"),
    "first_surname": N_("First surname"),
    "second_surname": N_("Second surname"),
    "aliases": N_("Aliases"),
    "sex": N_("Sex"),
    "date_of_birth": N_("Date of birth"),
    "curp": N_("CURP"),
    "birth_state": N_("Birth state"),
    "nationality": N_("Nationality"),
    "detained_at": N_("Detained at"),
    "reason": N_("Reason"),
    "plate": N_("Plate"),
    "plate_state": N_("Plate state"),
    "vin": N_("VIN"),
    "make": N_("Make"),
    "model": N_("Model"),
    "year": N_("Year"),
    "colour": N_("Colour"),
    "serial": N_("Serial number"),
    "calibre": N_("Calibre"),
    "firearm_type": N_("Firearm type"),
    "description": N_("Description"),
    "quantity": N_("Quantity"),
    "unit": N_("Unit"),
    "name": N_("Name"),
    "rank": N_("Rank"),
    "badge": N_("Badge"),
    "agency": N_("Agency"),
    "documents": N_("Documents"),
    "addresses": N_("Addresses"),
    "phones": N_("Phones"),
    "notes": N_("Notes"),
    "number": N_("Number"),
    "kind": N_("Kind"),
    "summary": N_("Summary"),
}

PURPOSE_LABELS: dict[str, str] = {
    Purpose.INVESTIGATION: N_("Investigation"),
    Purpose.PATROL: N_("Patrol"),
    Purpose.PROSECUTION: N_("Prosecution"),
    Purpose.INTELLIGENCE: N_("Intelligence"),
    Purpose.ANALYSIS: N_("Analysis"),
    Purpose.SCREENING: N_("Screening"),
    Purpose.VETTING: N_("Vetting"),
    Purpose.AUDIT: N_("Audit"),
    Purpose.ADMINISTRATION: N_("Administration"),
    Purpose.DATA_QUALITY: N_("Data quality"),
}

ROLE_LABELS: dict[str, str] = {
    Role.OFFICER: N_("Officer"),
    Role.RECORDS_CLERK: N_("Records clerk"),
    Role.ANALYST: N_("Analyst"),
    Role.INTELLIGENCE_ANALYST: N_("Intelligence analyst"),
    Role.PROSECUTOR: N_("Prosecutor"),
    Role.SCREENING_OFFICER: N_("Screening officer"),
    Role.SUPERVISOR: N_("Supervisor"),
    Role.AUDITOR: N_("Auditor"),
    Role.ADMINISTRATOR: N_("Administrator"),
}

PERSON_ROLE_LABELS: dict[str, str] = {
    "victim": N_("Victim"),
    "probable_responsible": N_("Probable responsible"),
    "detainee": N_("Detainee"),
    "witness": N_("Witness"),
    "complainant": N_("Complainant"),
    "other": N_("Other"),
}

RECORD_TYPE_LABELS: dict[str, str] = {
    "agency": N_("Agency"),
    "person": N_("Person"),
    "vehicle": N_("Vehicle"),
    "firearm": N_("Firearm"),
    "incident": N_("Incident (IPH)"),
    "detention": N_("Detention"),
    "warrant": N_("Warrant"),
    "protection_order": N_("Protection order"),
    "seizure": N_("Seizure"),
}

_STATE_KEYS = frozenset({"state", "plate_state", "birth_state", "registry_state"})


def state_name(code: str | None) -> str:
    if not code:
        return ""
    try:
        return resolve_state(code).name
    except CodeError:
        return code


def municipality_name(code: str | None) -> str:
    if not code:
        return ""
    try:
        return resolve_municipality(code).name
    except CodeError:
        return code


def crime_label(code: str) -> str:
    try:
        return resolve_crime_type(code).label
    except CodeError:
        return code


@pass_context
def label(context: Context, key: str | int, table: dict[str, str] | None = None) -> str:
    """The translated label of a field name (or of a value in ``table``)."""
    text = str(key)
    message = (table or FIELD_LABELS).get(text)
    if message is None:
        return text.replace("_", " ").capitalize()
    return str(context["translations"].gettext(message))


def readable(key: str, value: Any) -> Any:
    """A stored scalar as people read it: codes named, crime types labelled."""
    if key in _STATE_KEYS and isinstance(value, str):
        return f"{state_name(value)} ({value})"
    if key == "municipality" and isinstance(value, str):
        return f"{municipality_name(value)} ({value})"
    if key == "crime_types" and isinstance(value, str):
        return crime_label(value)
    return value


def when(value: datetime | date | str | None) -> str:
    """Dates and times as "2024-05-01 13:45 UTC-06:00": unambiguous in both languages."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        offset = value.strftime("%z")
        zone = f" UTC{offset[:3]}:{offset[3:]}" if offset else ""
        return value.strftime("%Y-%m-%d %H:%M") + zone
    return value.isoformat()


def is_mapping(value: Any) -> bool:
    return isinstance(value, dict)


def is_sequence(value: Any) -> bool:
    return isinstance(value, list | tuple)


FILTERS = {
    "label": label,
    "readable": readable,
    "when": when,
    "state_name": state_name,
    "municipality_name": municipality_name,
    "crime_label": crime_label,
}

GLOBALS = {
    "is_mapping": is_mapping,
    "is_sequence": is_sequence,
    "all_states": all_states,
    "all_crime_types": all_crime_types,
    "PURPOSES": list(Purpose),
    "PURPOSE_LABELS": PURPOSE_LABELS,
    "ROLE_LABELS": ROLE_LABELS,
    "PERSON_ROLE_LABELS": PERSON_ROLE_LABELS,
    "RECORD_TYPE_LABELS": RECORD_TYPE_LABELS,
}
