"""Find records by the identifiers people type: CURP, plate, VIN, serial, folio or name.

The typed value is normalised by its value type into the same key the store indexed when the
record was written, so "abc-123-d" finds a record entered as "ABC123D". Every search needs a
declared purpose, every hit passes the read policy (hidden records are left out, not
reported), and the query itself is audited with the key that was looked up: an auditor can
always ask who searched for whom, and why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
from plataforma.records.service import RecordService, audit_query
from plataforma.records.visibility import visible_clause
from plataforma.security import policy
from plataforma.security.audit import Outcome
from plataforma.security.principal import Principal
from plataforma.security.services import PlatformServices as Platform
from plataforma.store import reader


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
class SearchResult:
    key: SearchKey
    records: list[Envelope]


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


def search_records(
    platform: Platform,
    principal: Principal,
    kind: SearchKind,
    text: str,
    purpose: policy.Purpose | None,
    date_of_birth: str | None = None,
    limit: int = 100,
) -> SearchResult:
    """Records the caller may see whose ``kind`` key matches ``text``; the query is audited."""
    decision = policy.can_query(principal, purpose)
    if not decision:
        audit_query(platform, principal, purpose, {"reason": decision.reason}, Outcome.DENIED)
        raise Forbidden(decision.reason)
    key = search_key(kind, text, date_of_birth)
    with platform.engine.connect() as conn:
        found = reader.find_by_key(
            conn,
            key.kind,
            key.value,
            limit=limit,
            prefix=key.prefix,
            # In SQL, so that hidden matches cannot crowd visible ones out of the limit.
            visible=visible_clause(policy.visibility(principal, purpose)),
        )
    visible = RecordService.readable(principal, found, purpose)
    detail = {
        "kind": key.kind,
        "key": key.value,
        "returned": len(visible),
        "ids": [r.id for r in visible],
    }
    audit_query(platform, principal, purpose, detail)
    return SearchResult(key, visible)
