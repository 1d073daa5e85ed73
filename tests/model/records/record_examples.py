"""One valid payload per record type, filled in wherever a nested model holds a date or number.

The property tests walk every field of every registered record type and mutate it inside these
payloads. A record type added to the registry without an example here, or a nested date or
number that no example reaches, makes those tests fail: new fields are covered, not skipped.
Only synthetic people.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Iterator
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import AwareDatetime, BaseModel, NaiveDatetime

from plataforma.model.records import RECORD_TYPES

PERSON = {"given_names": "Rosa", "first_surname": "Mendoza", "date_of_birth": "1990-06-15"}
AGE_AT_EVENT = 33  # on 2024-03-01, the examples' events
_TODAY = dt.date.today()
AGE_NOW = _TODAY.year - 1990 - ((_TODAY.month, _TODAY.day) < (6, 15))  # for undated records
PLACE = {"state": "14", "municipality": "14039", "latitude": 20.6767, "longitude": -103.3475}
ENVELOPE = {"valid_until": "2030-01-01", "purge_after": "2040-01-01"}
WEAPON = {"serial": "ABC12345", "make": "Glock"}
VEHICLE = {"plate": "JKL123A", "plate_state": "14", "year": 2015}

EXAMPLES: dict[str, dict[str, Any]] = {
    "agency": {"source_ref": "POL-X", "name": "Policía X", "level": "federal", "kind": "police"},
    "person": {
        **PERSON,
        "age": AGE_NOW,
        "description": {"height_cm": 170, "weight_kg": 70},
        "source_ref": "P-1",
    },
    "vehicle": {**VEHICLE, "source_ref": "V-1", "reported_stolen_at": "2024-03-01T08:00"},
    "firearm": {**WEAPON, "source_ref": "A-1"},
    "incident": {
        "source_ref": "I-1",
        "folio": "IPH-1",
        "occurred_at": "2024-03-01T10:00",
        "reported_at": "2024-03-01T11:00",
        "place": PLACE,
        "crime_types": ["robo_a_negocio"],
        "persons": [{**PERSON, "age": AGE_AT_EVENT, "role": "victim"}],
        "detentions": [
            {"person": {**PERSON, "age": AGE_AT_EVENT}, "detained_at": "2024-03-01T10:30"}
        ],
        "vehicles": [VEHICLE],
        "weapons": [WEAPON],
        "objects": [{"description": "teléfono", "quantity": 2}],
        "interviews": [{"interviewee": {**PERSON, "age": AGE_AT_EVENT}, "summary": "vio el robo"}],
    },
    "detention": {
        **PERSON,
        "age": AGE_AT_EVENT,
        "source_ref": "D-1",
        "detained_at": "2024-03-01T10:30",
        "place": PLACE,
        "detention_type": "flagrancia",
        "reasons": ["robo_a_negocio"],
        "arresting_officers": ["Agente Uno"],
        "receiving_authority": "Ministerio Público",
    },
    "warrant": {
        **PERSON,
        "age": AGE_NOW,
        "source_ref": "W-1",
        "warrant_type": "aprehension",
        "case_number": "CP-1/2024",
        "issued_by": "Juzgado Primero",
        "issued_at": "2024-03-01",
        "expires_at": "2030-03-01",
        "crime_types": ["robo_a_negocio"],
    },
    "protection_order": {
        **PERSON,
        "age": AGE_NOW,
        "source_ref": "O-1",
        "protected": {**PERSON, "given_names": "Ana", "age": AGE_NOW},
        "issued_by": "Juzgado Segundo",
        "issued_at": "2024-03-01",
        "expires_at": "2030-03-01",
        "state": "14",
    },
    "seizure": {
        "source_ref": "S-1",
        "seized_at": "2024-03-01T12:00",
        "place": PLACE,
        "drugs": [{"substance": "cocaína", "quantity": 1.5, "unit": "kg", "purity_pct": 80}],
        "cash": [{"currency": "MXN", "amount": 1000}],
        "weapons": [{**WEAPON, "quantity": 2}],
        "conveyances": [VEHICLE],
    },
}
# The event each type's ages are stated at (None: the day the record is entered).
EVENT_DAY = {
    "incident": dt.date(2024, 3, 1),
    "detention": dt.date(2024, 3, 1),
    "seizure": dt.date(2024, 3, 1),
}


def payload(record_type: str) -> dict[str, Any]:
    """A deep copy of the example, envelope dates included."""
    import copy

    return copy.deepcopy({**EXAMPLES[record_type], **ENVELOPE})


Path = tuple[str | int, ...]


def _bare(annotation: Any) -> tuple[Any, bool]:
    many = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation, many
            annotation = args[0]
        elif origin is list:
            many = True
            annotation = get_args(annotation)[0]
        else:
            return annotation, many


def _kind(name: str, bare: Any) -> str | None:
    if bare in (AwareDatetime, NaiveDatetime) or (
        isinstance(bare, type) and issubclass(bare, dt.datetime)
    ):
        return "time"
    if isinstance(bare, type) and issubclass(bare, dt.date):
        return "day"
    if name == "date_of_birth":
        return "birth"
    if name == "age":
        return "age"
    if bare in (int, float) and name != "age":
        return "number"
    return None


def fields_of(model: type[BaseModel], prefix: Path = ()) -> Iterator[tuple[Path, str, bool]]:
    """(path, kind, required) of every date, time, birth date, age and number in ``model``."""
    for name, info in model.model_fields.items():
        bare, many = _bare(info.annotation)
        path = (*prefix, name, 0) if many else (*prefix, name)
        if isinstance(bare, type) and issubclass(bare, BaseModel):
            yield from fields_of(bare, path)
        elif (kind := _kind(name, bare)) is not None:
            yield (*prefix, name), kind, info.is_required()


def all_fields(kinds: set[str]) -> list[tuple[str, Path, str, bool]]:
    """Every field of the given kinds in every registered record type."""
    return [
        (record_type, path, kind, required)
        for record_type, model in sorted(RECORD_TYPES.items())
        for path, kind, required in fields_of(model)
        if kind in kinds
    ]


def container(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """The object in ``data`` that holds the last part of ``path`` (which must exist)."""
    node: Any = data
    for part in path[:-1]:
        if isinstance(part, int):
            continue  # lists are entered at their first item below
        node = node[part]
        if isinstance(node, list):
            node = node[0]
    assert isinstance(node, dict), path
    return node


def pointer(path: Path) -> str:
    return "/" + "/".join(str(p) for p in path)


def reaches(data: dict[str, Any], path: Path) -> bool:
    node: Any = data
    for part in path[:-1]:
        if isinstance(part, int):
            continue
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
        if isinstance(node, list):
            if not node:
                return False
            node = node[0]
    return isinstance(node, dict)
