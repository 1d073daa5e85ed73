"""Read the records a search key matches, the ones the caller may see, up to a bound.

Two rules shape the scan. Hits cannot drown: record types that can be hits (warrants,
protection orders, vehicles, firearms) are read before all others, so a man's warrant is
found however many files he has. And nothing the caller may not read changes the answer:
the bound counts *readable* records only, so whether the answer is complete, how many records
and groups it has and where its pages break are the same with or without hidden records.

The key range is walked in index order, ``(value, record_id)``, a batch at a time, so memory
stays bounded on a key that millions of records share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, and_, or_, select

from plataforma.model.envelope import Envelope
from plataforma.records.hits import HIT_TYPES
from plataforma.store.reader import PREFIX_END, to_envelope
from plataforma.store.tables import record_keys, records

BATCH = 500


@dataclass(frozen=True, slots=True)
class Scan:
    records: list[Envelope]
    complete: bool  # False: more readable records matched than the bound


def readable_matches(
    conn: Connection,
    kind: str,
    value: str,
    prefix: bool,
    readable: Callable[[Envelope], bool],
    bound: int,
    visible: ColumnElement[bool] | None = None,
) -> Scan:
    """Up to ``bound`` records matching the key that ``readable`` lets through, hits first."""
    found: dict[str, Envelope] = {}
    for types, exclude in ((HIT_TYPES, False), (HIT_TYPES, True)):
        for row in _key_rows(conn, kind, value, prefix, types, exclude, visible):
            if row.id in found:
                continue  # one record holding the key twice (an incident naming him twice)
            record = to_envelope(row)
            if not readable(record):
                continue
            if len(found) == bound:
                return Scan(list(found.values()), complete=False)
            found[record.id] = record
    return Scan(list(found.values()), complete=True)


def _key_rows(
    conn: Connection,
    kind: str,
    value: str,
    prefix: bool,
    types: Sequence[str],
    exclude: bool,
    visible: ColumnElement[bool] | None = None,
) -> Iterator[Row[Any]]:
    match = (
        record_keys.c.value.between(value, value + PREFIX_END)
        if prefix
        else record_keys.c.value == value
    )
    of_type = (
        record_keys.c.record_type.not_in(types) if exclude else record_keys.c.record_type.in_(types)
    )
    last: tuple[str, str] | None = None
    while True:
        query = (
            select(records, record_keys.c.value.label("matched_key"))
            .join(record_keys, record_keys.c.record_id == records.c.id)
            .where(record_keys.c.kind == kind, match, of_type)
        )
        if visible is not None:
            query = query.where(visible)
        if last is not None:
            query = query.where(
                or_(
                    record_keys.c.value > last[0],
                    and_(record_keys.c.value == last[0], record_keys.c.record_id > last[1]),
                )
            )
        query = query.order_by(record_keys.c.value, record_keys.c.record_id).limit(BATCH)
        rows = conn.execute(query).all()
        yield from rows
        if len(rows) < BATCH:
            return
        last = (rows[-1].matched_key, rows[-1].id)
