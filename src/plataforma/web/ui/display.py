"""How stored values read on a page: names for codes, labels for keys, local times.

Records keep codes ("14", "robo_de_vehiculo_automotor", "robado"); people read names
("Jalisco", "Robo de vehículo automotor", "Robado", highlighted). The label tables live in
``labels.py``, the translation of the model's English reasons in ``messages.py`` and the
choice of clock in ``times.py``; this module turns them into the filters and globals the
templates use, each reading the request's catalogue and clock from the template context.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from plataforma.model.codes import (
    CodeError,
    all_crime_types,
    all_states,
    resolve_crime_type,
    resolve_municipality,
    resolve_state,
)
from plataforma.security.policy import DECLARABLE_PURPOSES, Purpose
from plataforma.web.ui import labels
from plataforma.web.ui.labels import (
    ALERT_VALUES,
    FIELD_LABELS,
    KIND_LABELS,
    N_,
    VALUE_LABELS,
)
from plataforma.web.ui.messages import Gettext, translate_reason
from plataforma.web.ui.times import DEFAULT_ZONE, local_time

__all__ = ["FILTERS", "GLOBALS", "N_"]

_STATE_KEYS = frozenset({"state", "plate_state", "birth_state", "registry_state", "issuing_state"})
_CRIME_KEYS = frozenset({"crime_types", "reasons"})
_TIME_KEYS = frozenset(
    {"occurred_at", "reported_at", "detained_at", "seized_at", "reported_stolen_at"}
)


def _gettext(context: Context, message: str) -> str:
    return str(context["translations"].gettext(message))


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
    return _gettext(context, message)


def pointer_text(gettext: Gettext, pointer: str) -> str:
    """A JSON pointer as a reader names the field: ``/persons/0/curp`` → "Personas 1 › CURP"."""
    words: list[str] = []
    for part in pointer.strip("/").split("/"):
        if part.isdigit() and words:
            words[-1] = f"{words[-1]} {int(part) + 1}"
        elif part:
            message = FIELD_LABELS.get(part)
            words.append(gettext(message) if message else part.replace("_", " ").capitalize())
    return " › ".join(words) or gettext(N_("Record"))


@pass_context
def pointer_label(context: Context, pointer: str) -> str:
    return pointer_text(context["translations"].gettext, pointer)


FLAG_MESSAGES: dict[str, str] = {
    "curp": N_("Invalid CURP: %(problem)s"),
    "plate": N_("Invalid plate: %(problem)s"),
    "vin": N_("Invalid VIN: %(problem)s"),
    "serial": N_("Invalid serial number: %(problem)s"),
    "number": N_("Invalid document number: %(problem)s"),
    "phones": N_("Invalid phone: %(problem)s"),
}


@pass_context
def reason(context: Context, text: str | None) -> str:
    """A reason given in English by the model, the policy or pydantic, in the page's language."""
    if not text:
        return ""
    return translate_reason(context["translations"].gettext, str(text))


@pass_context
def flag_text(context: Context, field: str, problem: str) -> str:
    """The warning for a flag on ``persons/0/curp`` ("CURP inválida: …"); the path goes beside."""
    parts = [p for p in field.split("/") if not p.isdigit()]
    key = parts[-1] if parts else field
    message = FLAG_MESSAGES.get(key, N_("Invalid value: %(problem)s"))
    return _gettext(context, message) % {"problem": reason(context, problem)}


def _zone(context: Context) -> ZoneInfo:
    zone = context.get("display_zone")
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(DEFAULT_ZONE)


@pass_context
def when(context: Context, value: Any) -> str:
    """A time on the page's clock with its zone's abbreviation: "2024-05-01 13:45 CST"."""
    return local_time(value, _zone(context))


@pass_context
def readable(context: Context, key: str, value: Any) -> Any:
    """A stored scalar as people read it: codes named, vocabularies labelled, times local.

    Values a reader must not miss (a stolen vehicle, an armed and dangerous subject) come
    back highlighted.
    """
    if key in _TIME_KEYS:
        return when(context, value)
    if key in _STATE_KEYS and isinstance(value, str):
        return f"{state_name(value)} ({value})"
    if key == "municipality" and isinstance(value, str):
        return f"{municipality_name(value)} ({value})"
    if key in _CRIME_KEYS and isinstance(value, str):
        return crime_label(value)
    text = str(value)
    message = VALUE_LABELS.get(key, {}).get(text)
    if message is None and isinstance(value, bool):
        message = labels.BOOLEAN_LABELS[text]
    shown = _gettext(context, message) if message else value
    if text in ALERT_VALUES.get(key, ()):
        return Markup('<strong class="value-alert">{}</strong>').format(shown)
    return shown


RECORD_ALERTS: dict[tuple[str, str], str] = {
    ("theft_status", "robado"): N_("This vehicle is reported stolen."),
    ("firearm_status", "stolen"): N_("This firearm is reported stolen."),
    ("firearm_status", "lost"): N_("This firearm is reported lost."),
    ("armed_and_dangerous", "True"): N_("Armed and dangerous: approach with caution."),
}


@pass_context
def record_alerts(context: Context, record: Any) -> list[str]:
    """What the top of a record page must say before anything else, translated."""
    data = getattr(record, "data", None) or {}
    return [
        _gettext(context, message)
        for (key, value), message in RECORD_ALERTS.items()
        if str(data.get(key)) == value
    ]


_READING_ORDER = {key: position for position, key in enumerate(FIELD_LABELS)}


def reading_order(mapping: dict[str, Any]) -> list[tuple[str, Any]]:
    """A record's content in the order a report is read (``FIELD_LABELS``' order), not the
    store's alphabetical one, leaving out the annexes that are empty."""
    shown = [(k, v) for k, v in mapping.items() if v not in (None, "", [], {})]
    return sorted(
        shown, key=lambda item: (_READING_ORDER.get(item[0], len(_READING_ORDER)), item[0])
    )


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
    "reason": reason,
    "pointer_label": pointer_label,
    "record_alerts": record_alerts,
    "reading_order": reading_order,
}

GLOBALS = {
    "is_mapping": is_mapping,
    "is_sequence": is_sequence,
    "all_states": all_states,
    "state_choices": state_choices,
    "KIND_LABELS": KIND_LABELS,
    "all_crime_types": all_crime_types,
    "PURPOSES": [p for p in Purpose if p in DECLARABLE_PURPOSES],
    "PURPOSE_LABELS": labels.PURPOSE_LABELS,
    "ROLE_LABELS": labels.ROLE_LABELS,
    "PERSON_ROLE_LABELS": labels.PERSON_ROLE_LABELS,
    "RECORD_TYPE_LABELS": labels.RECORD_TYPE_LABELS,
    "MARKING_LABELS": labels.MARKING_LABELS,
    "RESTRICTED_FILE_LABELS": labels.RESTRICTED_FILE_LABELS,
    "STATUS_LABELS": labels.STATUS_LABELS,
    "AUDIT_ACTION_LABELS": labels.AUDIT_ACTION_LABELS,
    "OUTCOME_LABELS": labels.OUTCOME_LABELS,
    "AGENCY_LEVEL_LABELS": labels.AGENCY_LEVEL_LABELS,
    "AGENCY_KIND_LABELS": labels.AGENCY_KIND_LABELS,
}
