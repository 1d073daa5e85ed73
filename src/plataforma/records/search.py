"""Find records by the identifiers people type: CURP, plate, VIN, serial, folio or name.

The typed value is normalised by its value type into the same key the store indexed when the
record was written, so "abc-123-d" finds a record entered as "ABC123D". Every search needs a
declared purpose, every match passes the read policy (hidden records are left out, not
reported, and change no count, group or page), and the query itself is audited with the key
that was looked up: an auditor can always ask who searched for whom, and why.

The answer is grouped by subject (``search_subjects``): a name and date of birth finds one
man once, with his active warrant on top, not a hundred copies of his person file.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import StrEnum

from plataforma.model.envelope import Envelope
from plataforma.model.values import (
    Identifier,
    InvalidValue,
    normalize_text,
    parse_curp,
    parse_firearm_serial,
    parse_partial_date,
    parse_plate,
    parse_vin,
    split_full_name,
)
from plataforma.records.errors import FieldError, Forbidden, InvalidRecord
from plataforma.records.search_linked import LinkedResolver, linked_persons
from plataforma.records.search_scan import readable_matches
from plataforma.records.search_subjects import (
    KeyResolver,
    SubjectGroup,
    SubjectResolver,
    group_records,
)
from plataforma.records.service import audit_query, facts
from plataforma.records.visibility import visible_clause
from plataforma.security import policy
from plataforma.security.audit import Outcome
from plataforma.security.principal import Principal
from plataforma.security.services import PlatformServices as Platform

logger = logging.getLogger(__name__)

# A page holds at most MAX_PAGE_SIZE subjects and each subject at most MAX_PER_GROUP records
# (its counts still cover them all). SCAN_BOUND readable records are grouped per search: far
# more than one person's records (the synthetic repeat offenders have a few dozen), and a
# name so common that it matches more says so (``complete`` false: add a date of birth).
PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
PER_GROUP = 10
MAX_PER_GROUP = 100
SCAN_BOUND = 2000
KEY_RESOLVER = KeyResolver()


class SearchKind(StrEnum):
    """What the searched text is; each kind maps to one family of stored match keys."""

    CURP = "curp"
    PLATE = "plate"
    VIN = "vin"
    SERIAL = "serial"
    FOLIO = "folio"
    NAME = "name"


_PARSERS: dict[SearchKind, Callable[[str], Identifier]] = {
    SearchKind.CURP: parse_curp,
    SearchKind.PLATE: parse_plate,
    SearchKind.VIN: parse_vin,
    SearchKind.SERIAL: parse_firearm_serial,
}


class InvalidQuery(InvalidRecord):
    """The text cannot be a value of the kind searched (a CURP with a bad check digit, ...)."""

    title = "Invalid query"


@dataclass(frozen=True, slots=True)
class SearchKey:
    kind: str
    value: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of an answer: subjects with their records, and totals of the whole answer.

    Every number here counts records the caller may read, and nothing else.
    """

    key: SearchKey
    groups: list[SubjectGroup]
    group_count: int
    record_count: int
    complete: bool  # False when more than SCAN_BOUND readable records matched
    next_cursor: str | None

    @property
    def records(self) -> list[Envelope]:
        """The records shown on this page, group by group (a record may name two subjects)."""
        return [found.record for group in self.groups for found in group.records]


def search_key(kind: SearchKind, text: str, date_of_birth: str | None = None) -> SearchKey:
    """The store key for ``text`` read as ``kind``; :class:`InvalidQuery` when it cannot be."""
    text = text.strip()
    if not text:
        raise InvalidQuery([FieldError("/q", "empty search")])
    if kind is SearchKind.NAME:
        return _name_key(text, date_of_birth)
    if kind is SearchKind.FOLIO:
        return SearchKey("folio", normalize_text(text))
    parsed = _PARSERS[kind](text)
    if parsed.match_key is None:
        raise InvalidQuery([FieldError("/q", f"not a valid {kind}: {parsed.problem}")])
    return SearchKey(str(kind), parsed.match_key)


def _name_key(text: str, date_of_birth: str | None) -> SearchKey:
    name = split_full_name(text)
    if not name.given_names or not name.first_surname:
        raise InvalidQuery([FieldError("/q", "give a name and at least one surname")])
    if not date_of_birth or not date_of_birth.strip():
        return SearchKey("name", f"{name.key}|", prefix=True)
    try:
        born = parse_partial_date(date_of_birth).iso
    except InvalidValue as error:
        raise InvalidQuery([FieldError("/dob", error.reason)]) from None
    # A birth year or month finds every fuller date that starts with it.
    return SearchKey("name", f"{name.key}|{born}", prefix=True)


def encode_cursor(group: SubjectGroup) -> str:
    """An opaque position after ``group``; it holds only what the caller was shown."""
    raw = json.dumps(group.sort_key, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


CursorKey = tuple[int, int, str, int, str, str]
_CURSOR_TYPES = (int, int, str, int, str, str)


def decode_cursor(cursor: str) -> CursorKey:
    """The position ``cursor`` names; :class:`InvalidQuery` on ``/cursor`` if it is not one."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        parts = json.loads(raw)
        if not isinstance(parts, list) or len(parts) != len(_CURSOR_TYPES):
            raise ValueError("not a position")
        if not all(type(p) is t for p, t in zip(parts, _CURSOR_TYPES, strict=True)):
            raise ValueError("not a position")
    except (ValueError, TypeError) as error:
        logger.info("search: rejected cursor (%s)", error)
        raise InvalidQuery([FieldError("/cursor", "not a cursor of a search")]) from None
    first, rank, name, undated, born, subject = parts
    return first, rank, name, undated, born, subject


def _bounded(value: int, pointer: str, top: int) -> int:
    if not 1 <= value <= top:
        raise InvalidQuery([FieldError(pointer, f"must be between 1 and {top}")])
    return value


def search_records(
    platform: Platform,
    principal: Principal,
    kind: SearchKind,
    text: str,
    purpose: policy.Purpose | None,
    date_of_birth: str | None = None,
    *,
    cursor: str | None = None,
    page_size: int = PAGE_SIZE,
    per_group: int = PER_GROUP,
    today: date | None = None,
    resolver: SubjectResolver | None = None,
    scan_bound: int = SCAN_BOUND,
) -> SearchPage:
    """A page of the subjects whose ``kind`` key matches ``text``, hits first; audited.

    Records are grouped by subject (``resolver``), groups with an active warrant, protection
    order or stolen object come first, and each group lists its hits before its other
    records, at most ``per_group`` of them. ``cursor`` (a page's ``next_cursor``) continues.
    """
    decision = policy.can_query(principal, purpose)
    if not decision:
        audit_query(platform, principal, purpose, {"reason": decision.reason}, Outcome.DENIED)
        raise Forbidden(decision.reason)
    key = search_key(kind, text, date_of_birth)
    after = decode_cursor(cursor) if cursor else None
    _bounded(page_size, "/limit", MAX_PAGE_SIZE)
    _bounded(per_group, "/per_group", MAX_PER_GROUP)

    def readable(record: Envelope) -> bool:
        return bool(policy.can_read(principal, facts(record), purpose))

    with platform.engine.connect() as conn:
        # Hidden rows are left out in SQL too, so they cost no scan; `readable` stays the judge.
        scan = readable_matches(
            conn,
            key.kind,
            key.value,
            key.prefix,
            readable,
            scan_bound,
            visible_clause(policy.visibility(principal, purpose)),
        )
        if resolver is None:  # by national person where the person index linked them
            linked = linked_persons(conn, (r.id for r in scan.records))
            resolver = LinkedResolver(linked) if linked else KEY_RESOLVER
    day = today or datetime.now(UTC).date()
    groups = group_records(scan.records, key.kind, key.value, key.prefix, day, resolver)
    rest = [g for g in groups if after is None or g.sort_key > after]
    page = [replace(g, records=g.records[:per_group]) for g in rest[:page_size]]
    more = len(rest) > page_size
    result = SearchPage(
        key,
        page,
        len(groups),
        len(scan.records),
        scan.complete,
        encode_cursor(page[-1]) if more and page else None,
    )
    detail = {
        "kind": key.kind,
        "key": key.value,
        "cursor": bool(cursor),
        "groups": [g.subject for g in page],
        "returned": len({r.id for r in result.records}),
        "ids": sorted({r.id for r in result.records}),
    }
    audit_query(platform, principal, purpose, detail)
    return result
