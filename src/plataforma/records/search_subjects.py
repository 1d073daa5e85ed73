"""Group the records a search found by the subject they are about.

A search for a repeat offender finds his person files, the incidents that name him, his
detentions and his warrants: one *subject*, many records. Each found record contributes the
*mentions* of the searched subject it holds (its own person fields, or the matching persons
of an incident); a :class:`SubjectResolver` says which mentions are one subject.

:class:`KeyResolver` links mentions that share a CURP or the same normalised name with a
full date of birth; :class:`~plataforma.records.search_linked.LinkedResolver` adds the
national persons of the entity-resolution links through the same protocol. Only records
the caller may read are ever given to the resolver, so a hidden record can neither join two
groups nor split one.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any, Protocol

from plataforma.model.envelope import Envelope
from plataforma.model.values import normalize_text, parse_curp, parse_person_name
from plataforma.records.hits import HitKind, hit_of, hit_rank, record_order

logger = logging.getLogger(__name__)

SUBJECT_TYPES = frozenset({"person", "warrant", "detention", "protection_order"})
_FULL_DATE = len("1990-02-13")


class SubjectBasis(StrEnum):
    """Why the records of a group are taken to be about one subject."""

    CURP = "curp"
    NAME_AND_DATE_OF_BIRTH = "name_and_date_of_birth"
    NAME_ONLY = "name_only"  # no full date of birth: possibly several people of one name
    IDENTIFIER = "identifier"  # plate, VIN, serial or folio: the searched object itself
    RESOLVER = "resolver"  # an entity-resolution cluster


@dataclass(frozen=True, slots=True)
class SubjectLabel:
    """How a group is shown: the name, date of birth and CURP as one record wrote them."""

    name: str | None = None
    date_of_birth: str | None = None
    curp: str | None = None
    identifier: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """One subject a found record names, as the search matched it.

    ``keys`` are the identity keys of that mention (``curp:…``, ``name:GIVEN|S1|S2|dob`` or
    ``plate:…``); ``preference`` orders candidate labels (lower is better).
    """

    record_id: str
    keys: tuple[str, ...]
    label: SubjectLabel
    preference: tuple[int, int, str] = (9, 9, "")
    ordinal: int = 0  # which person of the record (an incident's persons, then detainees)


@dataclass(frozen=True, slots=True)
class Subject:
    id: str
    basis: SubjectBasis


class SubjectResolver(Protocol):
    """Says which mentions are one subject: entity resolution plugs in here."""

    def resolve(self, mentions: Sequence[Mention]) -> list[Subject]:
        """The subject of each mention, in the same order; equal ids are one subject."""
        ...


class KeyResolver:
    """Mentions sharing any identity key are one subject (union-find over the keys).

    The subject id is the smallest key of its component, so it depends only on the mentions
    given (the visible ones), never on the order they were read in.
    """

    def resolve(self, mentions: Sequence[Mention]) -> list[Subject]:
        parent: dict[str, str] = {}

        def find(key: str) -> str:
            parent.setdefault(key, key)
            while parent[key] != key:
                parent[key] = parent[parent[key]]
                key = parent[key]
            return key

        for mention in mentions:
            first = find(mention.keys[0])
            for other in mention.keys[1:]:
                root = find(other)
                if root != first:
                    low, high = sorted((first, root))
                    parent[high] = low
                    first = low
        return [_subject(find(m.keys[0])) for m in mentions]


def _subject(root: str) -> Subject:
    kind, _, value = root.partition(":")
    if kind == "curp":
        return Subject(root, SubjectBasis.CURP)
    if kind == "name":
        full = len(value.rsplit("|", 1)[-1]) == _FULL_DATE
        return Subject(
            root, SubjectBasis.NAME_AND_DATE_OF_BIRTH if full else SubjectBasis.NAME_ONLY
        )
    return Subject(root, SubjectBasis.IDENTIFIER)


def _person_fields(record: Envelope) -> list[Mapping[str, Any]]:
    """The person-field blocks of ``record`` that carry inquiry keys (as the model indexes)."""
    data = record.data
    if record.record_type in SUBJECT_TYPES:
        return [data]
    if record.record_type == "incident":
        detainees = [d.get("person") or {} for d in data.get("detentions") or ()]
        return [*(data.get("persons") or ()), *detainees]
    return []


def _person_mention(record: Envelope, fields: Mapping[str, Any]) -> tuple[str, str | None, Mention]:
    name = parse_person_name(
        fields.get("given_names"), fields.get("first_surname"), fields.get("second_surname")
    )
    born = str(fields.get("date_of_birth") or "")
    name_key = f"{name.key}|{born}"
    curp = parse_curp(fields["curp"]).match_key if fields.get("curp") else None
    # A name identifies only with a full date of birth; without one a CURP is the better key,
    # and a bare name is a bucket of its own ("possibly several people of this name").
    keys = ([f"curp:{curp}"] if curp else []) + (
        [f"name:{name_key}"] if len(born) == _FULL_DATE or not curp else []
    )
    label = SubjectLabel(name.display or None, born or None, curp)
    preference = (0 if record.record_type == "person" else 1, 0 if curp else 1, record.id)
    return name_key, curp, Mention(record.id, tuple(keys), label, preference)


def mentions_of(record: Envelope, kind: str, value: str, prefix: bool) -> list[Mention]:
    """The mentions of ``record`` that the search key (``kind``, ``value``) matched."""
    if kind not in ("name", "curp"):
        label = SubjectLabel(identifier=value)
        return [Mention(record.id, (f"{kind}:{value}",), label, (0, 0, record.id))]
    found = []
    for ordinal, fields in enumerate(_person_fields(record)):
        name_key, curp, mention = _person_mention(record, fields)
        matched = name_key.startswith(value) if prefix else name_key == value
        if (kind == "name" and matched) or (kind == "curp" and curp == value):
            found.append(replace(mention, ordinal=ordinal))
    if not found:
        # The store matched a key this code does not derive: show the record on its own rather
        # than drop it, and leave a trace for whoever changes how keys are built.
        logger.warning("search: %s matched %s:%s but names no such subject", record.id, kind, value)
        found.append(
            Mention(record.id, (f"record:{record.id}",), SubjectLabel(), (9, 9, record.id))
        )
    return found


@dataclass(frozen=True, slots=True)
class FoundRecord:
    record: Envelope
    hit: HitKind | None


@dataclass(frozen=True, slots=True)
class SubjectGroup:
    """The visible records of one subject, hits first; counts cover the whole group."""

    subject: str
    basis: SubjectBasis
    label: SubjectLabel
    records: tuple[FoundRecord, ...]
    record_count: int
    counts: dict[str, int] = field(default_factory=dict)
    hit_count: int = 0

    @property
    def sort_key(self) -> tuple[int, int, str, int, str, str]:
        """Groups with hits first (the most urgent first), then by name, dated before undated.

        Totally ordered (the subject id breaks ties), so pages cut at any group are stable.
        """
        first_hit = hit_rank(self.records[0].hit) if self.records else hit_rank(None)
        name = normalize_text(self.label.name or self.label.identifier or "")
        undated = 1 if self.basis is SubjectBasis.NAME_ONLY else 0
        born = self.label.date_of_birth or ""
        return (0 if self.hit_count else 1, first_hit, name, undated, born, self.subject)


def group_records(
    found: Sequence[Envelope],
    kind: str,
    value: str,
    prefix: bool,
    today: date,
    resolver: SubjectResolver,
) -> list[SubjectGroup]:
    """Every subject among ``found`` (all readable by the caller), in answer order."""
    mentions = [m for record in found for m in mentions_of(record, kind, value, prefix)]
    subjects = resolver.resolve(mentions)
    by_id = {record.id: record for record in found}
    members: dict[str, dict[str, Envelope]] = {}
    labels: dict[str, Mention] = {}
    bases: dict[str, SubjectBasis] = {}
    for mention, subject in zip(mentions, subjects, strict=True):
        members.setdefault(subject.id, {})[mention.record_id] = by_id[mention.record_id]
        bases.setdefault(subject.id, subject.basis)
        best = labels.get(subject.id)
        if best is None or mention.preference < best.preference:
            labels[subject.id] = mention
    groups = []
    for subject_id, records in members.items():
        ranked = sorted(
            (FoundRecord(r, hit_of(r, today)) for r in records.values()),
            key=lambda f: record_order(f.record, f.hit),
        )
        counts: dict[str, int] = {}
        for item in ranked:
            counts[item.record.record_type] = counts.get(item.record.record_type, 0) + 1
        groups.append(
            SubjectGroup(
                subject_id,
                bases[subject_id],
                labels[subject_id].label,
                tuple(ranked),
                len(ranked),
                counts,
                sum(1 for item in ranked if item.hit is not None),
            )
        )
    return sorted(groups, key=lambda g: g.sort_key)
