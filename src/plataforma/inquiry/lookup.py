"""Read the records an inquiry's keys find, the ones the caller may see, hits first, bounded.

One statement: the exact keys as ``IN`` lists (index probes) and the prefix ranges as
``BETWEEN`` (index ranges), joined to ``records`` under the caller's visibility, so hidden
records are never read, counted or ordered. When more than ``bound`` match, record types
that can be hits are read in a pass of their own before the others, so a wanted man's
warrant cannot be cut off by his other files however many there are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Select, and_, bindparam, or_, select

from plataforma.inquiry.names import key_of_fields, score_key
from plataforma.inquiry.objects import ObjectEvidence, object_evidence
from plataforma.inquiry.queries import KeyPlan
from plataforma.model.envelope import Envelope
from plataforma.model.values import parse_curp
from plataforma.records.hits import HIT_TYPES
from plataforma.records.visibility import visible_clause
from plataforma.security.policy import Visibility
from plataforma.store.reader import PREFIX_END, to_envelope
from plataforma.store.tables import record_keys, records

BOUND = 200
"""Readable records read per pass; more than any one subject or object has in the store."""


class MatchQuality(StrEnum):
    """How sure a match is: on the exact key, a name within spelling tolerance, or an object
    identifier that differs by confusable glyphs (a possible match, to check on the object)."""

    EXACT = "exact"
    FUZZY = "fuzzy"
    CONFUSABLE = "confusable"


@dataclass(frozen=True, slots=True)
class Match:
    """A found record and how it matched: the key, and for names the score and the role."""

    record: Envelope
    key_kind: str
    key: str
    score: float = 1.0
    exact: bool = True
    role: str | None = None  # how the subject is named in an incident
    via: str | None = None  # "national_person": found through a resolution link, not a key
    link_score: float | None = None  # that link's match probability
    evidence: ObjectEvidence | None = None  # set for a possible (confusable) object match

    @property
    def quality(self) -> MatchQuality:
        if self.evidence is not None:
            return MatchQuality.CONFUSABLE
        return MatchQuality.EXACT if self.exact else MatchQuality.FUZZY


@dataclass(frozen=True, slots=True)
class Found:
    matches: list[Match]
    complete: bool


_KEY = record_keys.c.value.type

# The shape of a plan: how many exact keys of each kind, which kinds of prefix range.
Shape = tuple[tuple[tuple[str, int], ...], tuple[str, ...]]


def _shape(plan: KeyPlan) -> tuple[Shape, dict[str, str]]:
    """The plan's statement shape and its bound values (``e{kind}{i}``, ``lo{i}``, ``hi{i}``)."""
    by_kind: dict[str, list[str]] = {}
    for kind, value in dict.fromkeys((*plan.exact, *plan.possible)):
        by_kind.setdefault(kind, []).append(value)
    params: dict[str, str] = {}
    for kind, values in by_kind.items():
        params |= {f"e{kind}{i}": value for i, value in enumerate(values)}
    for i, (_, prefix) in enumerate(plan.ranges):
        params |= {f"lo{i}": prefix, f"hi{i}": prefix + PREFIX_END}
    exact = tuple((kind, len(values)) for kind, values in by_kind.items())
    return (exact, tuple(kind for kind, _ in plan.ranges)), params


@lru_cache(maxsize=512)
def _statement(shape: Shape, rule: Visibility, types: bool | None, bound: int) -> Select[Any]:
    """The query of one plan shape under one visibility rule, built once and reused.

    Building and compiling a SQLAlchemy statement cost more than the index reads it makes
    (profiled: three quarters of an inquiry); values travel as bound parameters, so one
    statement object serves every inquiry of its shape, and the compiled form is cached.
    ``types``: None for every record type, True for the hit types only, False for the rest.
    """
    exact, ranges = shape
    parts = [
        and_(
            record_keys.c.kind == kind,
            record_keys.c.value.in_([bindparam(f"e{kind}{i}", type_=_KEY) for i in range(count)]),
        )
        for kind, count in exact
    ]
    parts += [
        and_(
            record_keys.c.kind == kind,
            record_keys.c.value.between(
                bindparam(f"lo{i}", type_=_KEY), bindparam(f"hi{i}", type_=_KEY)
            ),
        )
        for i, kind in enumerate(ranges)
    ]
    query = (
        select(records, record_keys.c.kind.label("key_kind"), record_keys.c.value.label("key"))
        .join(record_keys, record_keys.c.record_id == records.c.id)
        .where(or_(*parts), visible_clause(rule))
        .order_by(record_keys.c.kind, record_keys.c.value, record_keys.c.record_id)
        .limit(bound + 1)
    )
    if types is True:
        query = query.where(record_keys.c.record_type.in_(HIT_TYPES))
    elif types is False:
        query = query.where(record_keys.c.record_type.not_in(HIT_TYPES))
    return query


def find(
    conn: Connection,
    plan: KeyPlan,
    readable: Callable[[Envelope], bool],
    rule: Visibility,
    bound: int = BOUND,
) -> Found:
    """The matching records ``readable`` lets through, hits-type records first.

    One statement reads every match when they fit in ``bound``; past it, the hit types are
    read in a pass of their own first, so they cannot be cut off.
    """
    shape, params = _shape(plan)
    rows = conn.execute(_statement(shape, rule, None, bound), params).all()
    complete = True
    if len(rows) > bound:
        rows = []
        for types in (True, False):
            part = conn.execute(_statement(shape, rule, types, bound), params).all()
            if len(part) > bound:
                complete, part = False, part[:bound]
            rows.extend(part)
    found: dict[str, Match] = {}
    for row in rows:
        record = to_envelope(row)
        if not readable(record):
            continue
        match = _judge_match(plan, record, row.key_kind, row.key)
        best = found.get(record.id)
        if match is not None and (best is None or match.score > best.score):
            found[record.id] = match
    return Found(list(found.values()), complete)


def _judge_match(plan: KeyPlan, record: Envelope, kind: str, key: str) -> Match | None:
    """How ``record`` matched through key (``kind``, ``key``); ``None`` if it only seemed to."""
    if plan.possible and (kind, key) not in plan.exact:
        evidence = object_evidence(record, kind, key, plan.asked)
        return Match(record, kind, key, evidence.score, False, evidence=evidence)
    if plan.name is None:
        return Match(record, kind, key, role=_role(record, kind, key))
    if kind == "name":
        scored = score_key(plan.name, key)
        if scored is None:
            return None
        return Match(record, kind, key, scored.score, scored.exact, _role(record, kind, key))
    # A CURP block: the record names someone whose CURP starts with the name's initials and
    # date of birth; the name it holds must still be close to the one typed.
    best: Match | None = None
    for fields in _person_fields(record):
        curp = parse_curp(str(fields.get("curp") or "")).match_key
        if not curp or not curp.startswith(key[:10]):
            continue
        name_key = key_of_fields(fields)
        scored = score_key(plan.name, name_key)
        if scored is not None and (best is None or scored.score > best.score):
            best = Match(record, "name", name_key, scored.score, False, _role_of(fields, record))
    return best


def _person_fields(record: Envelope) -> list[dict[str, object]]:
    data = record.data
    if record.record_type == "incident":
        detained = [
            {**(d.get("person") or {}), "role": "detainee"} for d in data.get("detentions") or ()
        ]
        return [*(data.get("persons") or ()), *detained]
    if record.record_type in ("vehicle", "firearm", "seizure"):
        return []
    return [data]


def _role_of(fields: dict[str, object], record: Envelope) -> str | None:
    if record.record_type != "incident":
        return None
    return str(fields.get("role") or "other")


def _role(record: Envelope, kind: str, key: str) -> str | None:
    """How the person matched by (``kind``, ``key``) is named in an incident, if it is one."""
    if record.record_type != "incident" or kind not in ("name", "curp"):
        return None
    for fields in _person_fields(record):
        if kind == "name" and key_of_fields(fields) == key:
            return _role_of(fields, record)
        if kind == "curp" and parse_curp(str(fields.get("curp") or "")).match_key == key:
            return _role_of(fields, record)
    return "other"
