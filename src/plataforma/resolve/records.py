"""The person mentions of a stored record: who it names, and in which role.

A person record names one person; a detention, a warrant or a protection order names its
subject (for a protection order the respondent, the person protected against); the protected
person of a protection order is a mention of its own, and so is each person an incident
involves (suspects, victims, witnesses, detainees of its detention annexes). Each becomes one
`PersonMention` through `prepare_mention`, the same preparation a file row gets, so the store
and the file mode are resolved by one set of rules.

A mention's id is ``<record_id>.<ordinal>``: ordinal 0 is a subject record's own subject,
then the protected person (1); an incident numbers its persons, then its detainees.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from plataforma.model.envelope import Envelope

from .mention import PersonMention, prepare_mention

__all__ = [
    "PERSON_BEARING_TYPES",
    "RecordMention",
    "mention_id",
    "mentions_of_data",
    "mentions_of_record",
    "split_mention_id",
]

#: Record types that name persons, and so are linked to national persons.
PERSON_BEARING_TYPES = frozenset({"person", "detention", "warrant", "protection_order", "incident"})
#: The role of a subject record's own subject, by record type.
SUBJECT_ROLE = {
    "person": "person",
    "detention": "detainee",
    "warrant": "wanted",
    "protection_order": "respondent",
}


@dataclass(frozen=True, slots=True)
class RecordMention:
    """One person a record names: its ordinal and role there, and its comparison form."""

    ordinal: int
    role: str
    mention: PersonMention


def mention_id(record_id: str, ordinal: int) -> str:
    return f"{record_id}.{ordinal}"


def split_mention_id(value: str) -> tuple[str, int]:
    """``(record_id, ordinal)`` of a mention id; a bare record id is its ordinal 0."""
    record_id, dot, ordinal = value.rpartition(".")
    if dot and ordinal.isdigit():
        return record_id, int(ordinal)
    return value, 0


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _row(fields: Mapping[str, Any], identifier: str, agency: str) -> dict[str, str | None]:
    """A record's person fields as the IN columns ``prepare_mention`` reads."""
    addresses = fields.get("addresses") or ()
    address = addresses[0] if addresses else {}
    documents = fields.get("documents") or ()
    phones = fields.get("phones") or ()
    aliases = fields.get("aliases") or ()
    return {
        "record_id": identifier,
        "agency": agency,
        "given_name": _text(fields.get("given_names")),
        "first_surname": _text(fields.get("first_surname")),
        "second_surname": _text(fields.get("second_surname")),
        "sex": _text(fields.get("sex")),
        "date_of_birth": _text(fields.get("date_of_birth")),
        "curp": _text(fields.get("curp")),
        "birth_state": _text(fields.get("birth_state")),
        "municipality": _text(address.get("municipality")),
        "street": _text(address.get("street")),
        # The first of each list: a mention has one alias, document and phone field.
        "alias": _text(aliases[0]) if aliases else None,
        "document_number": _text(documents[0].get("number")) if documents else None,
        "phone": _text(phones[0]) if phones else None,
    }


def _named(record_type: str, data: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    if record_type == "incident":
        persons = [(str(p.get("role") or "other"), p) for p in data.get("persons") or ()]
        detained = [("detainee", d.get("person") or {}) for d in data.get("detentions") or ()]
        return persons + detained
    if record_type not in SUBJECT_ROLE:
        return []
    named: list[tuple[str, Mapping[str, Any]]] = [(SUBJECT_ROLE[record_type], data)]
    if record_type == "protection_order" and data.get("protected"):
        named.append(("protected", data["protected"]))
    return named


def mentions_of_data(
    record_id: str, record_type: str, agency: str, data: Mapping[str, Any], order: int = 0
) -> list[RecordMention]:
    """Every person a record's content names; ``order`` is the arrival order of the first.

    A block without a given name is skipped (an incident's unnamed witness links nobody).
    """
    out = []
    for ordinal, (role, fields) in enumerate(_named(record_type, data)):
        if not str(fields.get("given_names") or "").strip():
            continue
        row = _row(fields, mention_id(record_id, ordinal), agency)
        out.append(RecordMention(ordinal, role, prepare_mention(row, order + ordinal)))
    return out


def mentions_of_record(record: Envelope, order: int = 0) -> list[RecordMention]:
    """Every person ``record`` names (see :func:`mentions_of_data`)."""
    return mentions_of_data(record.id, record.record_type, record.agency, record.data, order)
