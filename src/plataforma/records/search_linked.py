"""Search groups by national person: the entity-resolution links behind `SubjectResolver`.

`KeyResolver` joins mentions that share a CURP or a name with a full date of birth. Once the
person index has linked records (``person_links``, kept by the resolver consumer), mentions
linked to one national person are one subject too: "JOSE RAMIERZ" of a municipal arrest and
"José Ramírez Acuña" of a prosecutor's warrant come back as one group, marked as a
resolution cluster (a lead to check, not proof). Only the mentions of records the caller may
read are given here, so a hidden record never appears in a group; its existence can only
have helped the link that joins two visible ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from sqlalchemy import Connection, select

from plataforma.records.search_subjects import KeyResolver, Mention, Subject, SubjectBasis
from plataforma.store.tables import person_links

__all__ = ["LinkedResolver", "linked_persons"]

_PERSON = "person:"


def linked_persons(conn: Connection, record_ids: Iterable[str]) -> dict[tuple[str, int], str]:
    """``(record_id, ordinal) → person_id`` for the linked mentions of ``record_ids``."""
    ids = list(dict.fromkeys(record_ids))
    found: dict[tuple[str, int], str] = {}
    for start in range(0, len(ids), 500):
        rows = conn.execute(
            select(
                person_links.c.record_id, person_links.c.ordinal, person_links.c.person_id
            ).where(person_links.c.record_id.in_(ids[start : start + 500]))
        )
        for record_id, ordinal, person_id in rows:
            found[(record_id, int(ordinal))] = person_id
    return found


class LinkedResolver:
    """`KeyResolver` over each mention's keys plus its national person, where linked."""

    def __init__(self, person_of: Mapping[tuple[str, int], str]) -> None:
        self._person_of = person_of
        self._keys = KeyResolver()

    def resolve(self, mentions: Sequence[Mention]) -> list[Subject]:
        extended = [
            replace(m, keys=(*m.keys, f"{_PERSON}{person}"))
            if (person := self._person_of.get((m.record_id, m.ordinal)))
            else m
            for m in mentions
        ]
        subjects = self._keys.resolve(extended)
        # A component holding a linked mention is a resolution cluster: name it by its
        # smallest national person, so the same person keeps one subject id across searches.
        persons: dict[str, str] = {}
        for mention, subject in zip(extended, subjects, strict=True):
            for key in mention.keys:
                if key.startswith(_PERSON):
                    persons[subject.id] = min(persons.get(subject.id, key), key)
        return [
            Subject(persons[s.id], SubjectBasis.RESOLVER) if s.id in persons else s
            for s in subjects
        ]
