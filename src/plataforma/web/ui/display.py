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

KIND_LABELS: dict[str, str] = {
    "curp": N_("CURP"),
    "plate": N_("Plate"),
    "vin": N_("VIN"),
    "serial": N_("Firearm serial"),
    "folio": N_("IPH folio"),
    "name": N_("Full name"),
}

# Pydantic's most frequent messages, so the IPH form can show them in Spanish.
VALIDATION_MESSAGES = (
    N_("Field required"),
    N_("Input should be a valid number, unable to parse string as a number"),
    N_("Input should be a valid datetime"),
    N_("Input should have timezone info"),
    N_("List should have at least 1 item after validation, not 0"),
    N_("Input should be greater than 0"),
    N_("Error"),
)

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


FLAG_MESSAGES: dict[str, str] = {
    "curp": N_("Invalid CURP: %(problem)s"),
    "plate": N_("Invalid plate: %(problem)s"),
    "vin": N_("Invalid VIN: %(problem)s"),
    "serial": N_("Invalid serial number: %(problem)s"),
    "number": N_("Invalid document number: %(problem)s"),
    "phones": N_("Invalid phone: %(problem)s"),
}


@pass_context
def flag_text(context: Context, field: str, problem: str) -> str:
    """The warning for a flag on ``persons/0/curp`` ("CURP inválida: …"); the path goes beside."""
    parts = [p for p in field.split("/") if not p.isdigit()]
    key = parts[-1] if parts else field
    message = FLAG_MESSAGES.get(key, N_("Invalid value: %(problem)s"))
    translated = str(context["translations"].gettext(message))
    return translated % {"problem": problem}


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
            return str(value)
    if isinstance(value, datetime):
        offset = value.strftime("%z")
        zone = f" UTC{offset[:3]}:{offset[3:]}" if offset else ""
        return value.strftime("%Y-%m-%d %H:%M") + zone
    return value.isoformat()


def state_choices() -> list[tuple[str, str]]:
    return [(s.code, s.name) for s in all_states()]


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
    "readable_in": readable,
    "flag_text": flag_text,
}

GLOBALS = {
    "is_mapping": is_mapping,
    "is_sequence": is_sequence,
    "all_states": all_states,
    "state_choices": state_choices,
    "KIND_LABELS": KIND_LABELS,
    "all_crime_types": all_crime_types,
    "PURPOSES": list(Purpose),
    "PURPOSE_LABELS": PURPOSE_LABELS,
    "ROLE_LABELS": ROLE_LABELS,
    "PERSON_ROLE_LABELS": PERSON_ROLE_LABELS,
    "RECORD_TYPE_LABELS": RECORD_TYPE_LABELS,
}
