"""Read the records an inquiry's keys find, the ones the caller may see, hits first, bounded.

One statement per pass: the exact keys as ``IN`` lists (index probes) and the prefix ranges
as ``BETWEEN`` (index ranges), joined to ``records`` under the caller's visibility, so hidden
records are never read, counted or ordered. Record types that can be hits are read in a
pass of their own before the others, so a wanted man's warrant cannot be cut off by his
other files however many there are; each pass reads at most ``bound`` rows, in index order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, and_, or_, select

from plataforma.inquiry.names import key_of_fields, score_key
from plataforma.inquiry.queries import KeyPlan
from plataforma.model.envelope import Envelope
from plataforma.model.values import parse_curp
from plataforma.records.hits import HIT_TYPES
from plataforma.store.reader import PREFIX_END, to_envelope
from plataforma.store.tables import record_keys, records

BOUND = 200
"""Readable records read per pass; more than any one subject or object has in the store."""


@dataclass(frozen=True, slots=True)
class Match:
    """A found record and how it matched: the key, and for names the score and the role."""

    record: Envelope
    key_kind: str
    key: str
    score: float = 1.0
    exact: bool = True
    role: str | None = None  # how the subject is named in an incident


@dataclass(frozen=True, slots=True)
class Found:
    matches: list[Match]
    complete: bool


def _key_clause(plan: KeyPlan) -> ColumnElement[bool]:
    by_kind: dict[str, list[str]] = {}
    for kind, value in plan.exact:
        by_kind.setdefault(kind, []).append(value)
    parts = [
        and_(record_keys.c.kind == kind, record_keys.c.value.in_(values))
        for kind, values in by_kind.items()
    ]
    parts += [
        and_(
            record_keys.c.kind == kind,
            record_keys.c.value.between(prefix, prefix + PREFIX_END),
        )
        for kind, prefix in plan.ranges
    ]
    return or_(*parts)


def find(
    conn: Connection,
    plan: KeyPlan,
    readable: Callable[[Envelope], bool],
    visible: ColumnElement[bool] | None,
    bound: int = BOUND,
) -> Found:
    """The matching records ``readable`` lets through, hits-type records first."""
    matched = _key_clause(plan)
    found: dict[str, Match] = {}
    complete = True
    for hit_types in (True, False):
        of_type = (
            record_keys.c.record_type.in_(HIT_TYPES)
            if hit_types
            else record_keys.c.record_type.not_in(HIT_TYPES)
        )
        query = (
            select(records, record_keys.c.kind.label("key_kind"), record_keys.c.value.label("key"))
            .join(record_keys, record_keys.c.record_id == records.c.id)
            .where(matched, of_type)
            .order_by(record_keys.c.kind, record_keys.c.value, record_keys.c.record_id)
            .limit(bound + 1)
        )
        if visible is not None:
            query = query.where(visible)
        rows = conn.execute(query).all()
        if len(rows) > bound:
            complete, rows = False, rows[:bound]
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
