"""The write path: idempotent upserts that keep every version, with keys and outbox events.

One call writes a batch inside the caller's transaction: new records, a new version for each
changed one (the version it replaces moves to record_versions), nothing for resubmissions of
identical content. Rows come from :mod:`rows`. The outbox rows are written in the
same transaction (DESIGN §7), so an acknowledged write can never miss its event.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from plataforma.store import rows
from plataforma.store.deferred import InsertQueue
from plataforma.store.dialect import dialect_for
from plataforma.store.ids import uuid7
from plataforma.store.outbox import note_written
from plataforma.store.prepare import PreparedRecord
from plataforma.store.tables import outbox, record_keys, record_versions, records

_IN_CHUNK = 500


class WriteOutcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class WriteResult:
    id: str
    version: int
    outcome: WriteOutcome
    record_type: str
    source_ref: str


class VersionConflict(Exception):
    """An update named a version that is no longer current (``If-Match`` failed)."""

    def __init__(self, record_id: str, expected: int, current: int) -> None:
        super().__init__(f"record {record_id} is at version {current}, not {expected}")
        self.current = current


@dataclass(frozen=True, slots=True)
class StoredFacts:
    """What the read policy needs of a record a write would replace (see ``may_replace``)."""

    id: str
    record_type: str
    agency: str
    source_ref: str
    marking: str
    restricted_file: str | None
    state: str | None


# Whether the writer may replace this existing record; checked inside the write's transaction.
MayReplace = Callable[[StoredFacts], bool]


class ReplaceRefused(Exception):
    """A write hit existing records its caller may not replace; nothing was written."""

    def __init__(self, refused: list[StoredFacts]) -> None:
        super().__init__(f"{len(refused)} existing record(s) may not be replaced by this writer")
        self.refused = refused


@dataclass(slots=True)
class _Existing:
    id: str
    version: int
    content_hash: str
    purge_after: date
    marking: str = ""
    restricted_file: str | None = None
    state: str | None = None


def refused_replacements(
    existing: dict[tuple[str, str, str], _Existing], may_replace: MayReplace | None
) -> list[StoredFacts]:
    """The existing records ``may_replace`` refuses (all of them, so a caller can drop them)."""
    if may_replace is None:
        return []
    stored = [
        StoredFacts(e.id, key[1], key[0], key[2], e.marking, e.restricted_file, e.state)
        for key, e in existing.items()
    ]
    return [facts for facts in stored if not may_replace(facts)]


def _existing(
    conn: Connection, items: Sequence[PreparedRecord]
) -> dict[tuple[str, str, str], _Existing]:
    by_group: dict[tuple[str, str], list[str]] = {}
    for item in items:
        by_group.setdefault((item.agency, item.record_type), []).append(item.source_ref)
    found: dict[tuple[str, str, str], _Existing] = {}
    for (agency, record_type), refs in by_group.items():
        for start in range(0, len(refs), _IN_CHUNK):
            query = select(
                records.c.id,
                records.c.source_ref,
                records.c.version,
                records.c.content_hash,
                records.c.purge_after,
                records.c.marking,
                records.c.restricted_file,
                records.c.state,
            ).where(
                records.c.agency == agency,
                records.c.record_type == record_type,
                records.c.source_ref.in_(refs[start : start + _IN_CHUNK]),
            )
            for row in conn.execute(query):
                found[(agency, record_type, row.source_ref)] = _Existing(
                    row.id,
                    row.version,
                    row.content_hash,
                    row.purge_after,
                    row.marking,
                    row.restricted_file,
                    row.state,
                )
    return found


def write_records(
    conn: Connection,
    items: Sequence[PreparedRecord],
    actor: str,
    now: datetime | None = None,
    deferred: InsertQueue | None = None,
    may_replace: MayReplace | None = None,
) -> list[WriteResult]:
    """Upsert ``items`` on (agency, record type, source_ref); results in input order.

    ``may_replace`` is asked about every existing record an item would update (or leave
    unchanged); if it refuses any, :class:`ReplaceRefused` names them all and the caller's
    transaction must roll back (new records claimed here are part of it).

    New records are the common case, so the records rows are inserted first with
    ``ON CONFLICT DO NOTHING``; only the items that hit an existing row are looked up and
    compared. A batch of new records thus costs no lookup round trip at all. Versions, keys
    and outbox events go to ``deferred`` when the caller passes one (and flushes it before
    committing); otherwise they are written before this returns.
    """
    now = now or datetime.now(UTC)
    last: dict[tuple[str, str, str], PreparedRecord] = {item.natural_key: item for item in items}
    claimed = _claim_new(conn, list(last.values()), actor, now)
    results: dict[tuple[str, str, str], WriteResult] = {}
    created: list[tuple[PreparedRecord, str]] = []
    for key, record_id in claimed.items():
        item = last[key]
        created.append((item, record_id))
        results[key] = WriteResult(
            record_id, 1, WriteOutcome.CREATED, item.record_type, item.source_ref
        )
    taken = [item for key, item in last.items() if key not in claimed]
    existing = _existing(conn, taken)
    refused = refused_replacements(existing, may_replace)
    if refused:
        raise ReplaceRefused(refused)
    changed: list[tuple[PreparedRecord, _Existing]] = []
    for item in taken:
        key = item.natural_key
        current = existing.get(key)
        if current is not None:
            item = item.keeping_purge_date(current.purge_after)
        if current is None:
            # Purged between the insert and the lookup: a plain insert either succeeds or
            # raises IntegrityError, which the caller retries.
            record_id = uuid7()
            conn.execute(insert(records), [_record_row(item, record_id, 1, actor, now)])
            created.append((item, record_id))
            results[key] = WriteResult(
                record_id, 1, WriteOutcome.CREATED, item.record_type, item.source_ref
            )
        elif current.content_hash == item.content_hash:
            results[key] = WriteResult(
                current.id,
                current.version,
                WriteOutcome.UNCHANGED,
                item.record_type,
                item.source_ref,
            )
        else:
            changed.append((item, current))
            results[key] = WriteResult(
                current.id,
                current.version + 1,
                WriteOutcome.UPDATED,
                item.record_type,
                item.source_ref,
            )
    queue = deferred if deferred is not None else InsertQueue()
    if created or changed:
        note_written(conn)  # wakes the outbox relay once this transaction is over
    _insert_dependents(queue, created, now)
    _update_changed(conn, queue, changed, actor, now)
    if deferred is None:
        queue.flush(conn)
    return [results[item.natural_key] for item in items]


def _claim_new(
    conn: Connection, items: Sequence[PreparedRecord], actor: str, now: datetime
) -> dict[tuple[str, str, str], str]:
    """Insert the records rows of ``items`` that do not exist yet; their natural keys → ids."""
    if not items:
        return {}
    ids = {uuid7(): item for item in items}
    new = [_record_row(item, record_id, 1, actor, now) for record_id, item in ids.items()]
    statement = dialect_for(conn).claim_statement()
    result = conn.execute(statement, new[0] if len(new) == 1 else new)
    return {ids[row[0]].natural_key: row[0] for row in result}


def update_record(
    conn: Connection,
    record_id: str,
    item: PreparedRecord,
    expected_version: int,
    actor: str,
    may_replace: MayReplace | None = None,
) -> WriteResult:
    """Replace a record's content if it is still at ``expected_version`` (``If-Match``).

    ``may_replace`` is asked first, so a refused caller never learns the current version.
    """
    row = conn.execute(
        select(
            records.c.version,
            records.c.content_hash,
            records.c.purge_after,
            records.c.marking,
            records.c.restricted_file,
            records.c.state,
        ).where(records.c.id == record_id)
    ).one()
    current = _Existing(
        record_id,
        row.version,
        row.content_hash,
        row.purge_after,
        row.marking,
        row.restricted_file,
        row.state,
    )
    refused = refused_replacements({item.natural_key: current}, may_replace)
    if refused:
        raise ReplaceRefused(refused)
    if row.version != expected_version:
        raise VersionConflict(record_id, expected_version, row.version)
    item = item.keeping_purge_date(row.purge_after)
    if row.content_hash == item.content_hash:
        return WriteResult(
            record_id, row.version, WriteOutcome.UNCHANGED, item.record_type, item.source_ref
        )
    queue = InsertQueue()
    note_written(conn)
    _update_changed(
        conn,
        queue,
        [(item, _Existing(record_id, row.version, row.content_hash, row.purge_after))],
        actor,
        datetime.now(UTC),
    )
    queue.flush(conn)
    return WriteResult(
        record_id, row.version + 1, WriteOutcome.UPDATED, item.record_type, item.source_ref
    )


def _record_row(
    item: PreparedRecord, record_id: str, version: int, actor: str, now: datetime
) -> dict[str, Any]:
    return rows.record_row(item, record_id, version, actor, now, item.flags, item.data)._asdict()


def _key_rows(item: PreparedRecord, record_id: str) -> list[dict[str, Any]]:
    return [k._asdict() for k in rows.key_rows(item.keys, record_id, item.record_type)]


def _outbox_row(
    item: PreparedRecord, record_id: str, version: int, event: str, now: datetime
) -> dict[str, Any]:
    keys = [list(key) for key in item.keys]
    return rows.outbox_row(
        item.record_type, item.agency, item.marking, record_id, version, event, keys, now
    )._asdict()


def _insert_dependents(
    queue: InsertQueue, created: list[tuple[PreparedRecord, str]], now: datetime
) -> None:
    """The keys and outbox event of records whose row was just inserted.

    Version 1 has no record_versions row: the current version is the records row itself.
    """
    queue.add(record_keys, [row for i, rid in created for row in _key_rows(i, rid)])
    queue.add(outbox, [_outbox_row(i, rid, 1, "created", now) for i, rid in created])


def _supersede(conn: Connection, ids: list[str]) -> None:
    """Copy the current version of ``ids`` into record_versions before it is replaced."""
    columns = rows.superseded_version()
    for start in range(0, len(ids), _IN_CHUNK):
        current = select(*columns.values()).where(records.c.id.in_(ids[start : start + _IN_CHUNK]))
        conn.execute(insert(record_versions).from_select(list(columns), current))


def _update_changed(
    conn: Connection,
    queue: InsertQueue,
    changed: list[tuple[PreparedRecord, _Existing]],
    actor: str,
    now: datetime,
) -> None:
    if not changed:
        return
    ids = [cur.id for _, cur in changed]
    _supersede(conn, ids)
    statement = (
        update(records)
        .where(records.c.id == bindparam("b_id"), records.c.version == bindparam("b_version"))
        .values({name: bindparam(name) for name in rows.UPDATED_COLUMNS})
    )
    values = []
    for item, current in changed:
        row = rows.record_row(
            item, current.id, current.version + 1, actor, now, item.flags, item.data
        )
        values.append(
            {**rows.updated_values(row), "b_id": current.id, "b_version": current.version}
        )
    result = conn.execute(statement, values)
    if result.rowcount not in (-1, len(values)):
        raise VersionConflict(changed[0][1].id, changed[0][1].version, -1)
    for start in range(0, len(ids), _IN_CHUNK):
        conn.execute(
            delete(record_keys).where(record_keys.c.record_id.in_(ids[start : start + _IN_CHUNK]))
        )
    queue.add(record_keys, [row for item, cur in changed for row in _key_rows(item, cur.id)])
    queue.add(
        outbox,
        [_outbox_row(item, cur.id, cur.version + 1, "updated", now) for item, cur in changed],
    )
