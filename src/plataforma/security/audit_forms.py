"""The canonical forms an audit row is hashed under, by version.

A row's link is ``SHA-256(prev_hash | canonical(seq, row))``. The form is versioned and the
version is stored with the row (``audit_log.chain_version``), so the form can get faster
without breaking the chains already written: verification picks each row's own form.

* Version 1 (``NULL`` in the column): the standard library's ``json.dumps`` with sorted keys.
  It is what the first releases wrote and it stays here unchanged, byte for byte.
* Version 2: orjson with sorted keys, the time normalised to UTC (a PostgreSQL session in
  another time zone no longer changes the text), and the version in the hashed text so a row
  cannot be passed off under the other form. Hashing was the largest part of the chainer's
  time per row; with it and the narrower read, the chainer links ~3x as many events a second
  on SQLite and ~1.6x on PostgreSQL (``bench/results/audit_chain.json``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import orjson

CURRENT_VERSION = 2
KNOWN_VERSIONS = (1, 2)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _fields(seq: int, row: Any, at: str) -> list[Any]:
    return [
        seq,
        row.id,
        at,
        row.actor,
        row.agency,
        row.action,
        row.outcome,
        row.record_type,
        row.record_id,
        row.purpose,
        row.source_ip,
        row.detail,
    ]


def hash_v1(prev_hash: str, seq: int, row: Any) -> str:
    """Version 1: exactly the form chains written before version 2 were hashed under."""
    fields = _fields(seq, row, _aware(row.at).isoformat())
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{prev_hash}|{canonical}".encode()).hexdigest()


def _v2_default(value: Any) -> str:
    return str(value)


def utc_text(value: datetime | str) -> str:
    """A stored time as version 2 hashes it: ISO 8601 in UTC.

    SQLite hands back the naive UTC text SQLAlchemy stored (read raw by the chainer, which
    skips SQLAlchemy's slower parser), PostgreSQL an aware time in the session's zone.
    """
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return _aware(moment).astimezone(UTC).isoformat()


def hash_v2_values(prev_hash: str, seq: int, values: Sequence[Any], at: str) -> str:
    """Version 2 over ``(id, at, actor, … , detail)`` in column order, ``at`` already text."""
    fields = [seq, values[0], at, *values[2:]]
    canonical = orjson.dumps(
        fields, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=_v2_default
    )
    return hashlib.sha256(b"%s|v2|%s" % (prev_hash.encode(), canonical)).hexdigest()


def hash_v2(prev_hash: str, seq: int, row: Any) -> str:
    """Version 2: orjson, sorted keys, UTC time, ``v2`` in the hashed bytes."""
    values = _fields(0, row, "")[1:]
    return hash_v2_values(prev_hash, seq, values, utc_text(row.at))


def row_hash(prev_hash: str, seq: int, row: Any, version: int | None = None) -> str:
    """The link of ``row`` at ``seq`` after ``prev_hash`` under ``version`` (None is 1)."""
    if version is None or version == 1:
        return hash_v1(prev_hash, seq, row)
    if version == 2:
        return hash_v2(prev_hash, seq, row)
    raise ValueError(f"unknown audit chain form version {version}")
