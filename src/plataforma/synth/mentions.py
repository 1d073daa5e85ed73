"""Every person a generated record names, with the ``record_id`` the ground truth uses."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

SUBJECT_TYPES = frozenset({"person", "detention", "warrant", "protection_order"})
RESOLVE_COLUMNS = (
    "record_id",
    "agency",
    "given_name",
    "first_surname",
    "second_surname",
    "sex",
    "date_of_birth",
    "curp",
    "birth_state",
    "municipality",
    "street",
    "alias",
)


def record_id(record_type: str, row: dict[str, Any]) -> str:
    return f"{record_type}:{row['agency']}:{row['source_ref']}"


def person_mentions(record_type: str, row: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(record_id, person fields) for each person in ``row``, in the truth's id scheme."""
    base = record_id(record_type, row)
    if record_type in SUBJECT_TYPES:
        yield base, row
    if record_type == "protection_order":
        yield f"{base}:protected", row["protected"]
    if record_type == "incident":
        for i, person in enumerate(row.get("persons", ())):
            yield f"{base}:persons/{i}", person
        for i, detention in enumerate(row.get("detentions", ())):
            yield f"{base}:detentions/{i}/person", detention["person"]


def resolve_row(record_id: str, agency: str, person: dict[str, Any]) -> dict[str, str]:
    """A row of the ``plataforma resolve persons`` input layout (DESIGN §5)."""
    address = (person.get("addresses") or [{}])[0]
    return {
        "record_id": record_id,
        "agency": agency,
        "given_name": person.get("given_names", ""),
        "first_surname": person.get("first_surname", ""),
        "second_surname": person.get("second_surname", ""),
        "sex": person.get("sex", ""),
        "date_of_birth": person.get("date_of_birth", ""),
        "curp": person.get("curp", ""),
        "birth_state": person.get("birth_state", ""),
        "municipality": address.get("municipality", ""),
        "street": address.get("street", ""),
        "alias": ";".join(person.get("aliases", ())),
    }
