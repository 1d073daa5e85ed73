"""The bulk write path: the same upsert semantics as :mod:`writer`, built for whole files.

``write_records`` compiles SQLAlchemy statements and serialises every JSON column per row,
which is the right trade for an API call but dominates a million-row import. Here a batch is
split once: records the store has never seen go straight to the driver (the dialect's bulk
insert: ``executemany`` on SQLite, ``COPY`` on PostgreSQL) from rows whose JSON is already
text, built by :mod:`rows`, and records that exist
take :func:`writer.write_records`, so updates and no-op resubmissions behave exactly as they
do for the API. A concurrent writer that creates the same source_ref between our lookup and
our insert makes the insert fail with an integrity error; the caller retries the batch, which
then sees those records as existing (that is what "ON CONFLICT-safe" means here).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import Connection

from plataforma.store import rows
from plataforma.store.dialect import dialect_for
from plataforma.store.ids import uuid7
from plataforma.store.jsontext import dumps, loads
from plataforma.store.outbox import note_written
from plataforma.store.prepare import PreparedRecord
from plataforma.store.tables import outbox, record_keys, records
from plataforma.store.writer import (
    MayReplace,
    ReplaceRefused,
    WriteOutcome,
    WriteResult,
    _existing,
    refused_replacements,
    write_records,
)


class EncodedRecord(NamedTuple):
    """A :class:`PreparedRecord` with its JSON already text: cheap to pickle, ready to insert.

    Encoding runs in a worker process; only the driver call is left for the writer. A named
    tuple, because the writer unpickles every record it gets back: a slotted dataclass took
    20 µs a record to rebuild there, a tuple a fraction of that.
    """

    record_type: str
    agency: str
    source_ref: str
    marking: str
    restricted_file: str | None
    state: str | None
    status: str
    valid_until: str | None
    purge_after: str
    content_hash: str
    flags_json: str
    data_json: str
    keys: tuple[tuple[str, str], ...]
    # Minted where the record was prepared (a worker), used only if the record turns out new.
    proposed_id: str = ""
    purge_defaulted: bool = False

    @property
    def natural_key(self) -> tuple[str, str, str]:
        return (self.agency, self.record_type, self.source_ref)

    def decode(self) -> PreparedRecord:
        """Back to the object :func:`writer.write_records` takes (the rare, update path)."""
        return PreparedRecord(
            record_type=self.record_type,
            agency=self.agency,
            source_ref=self.source_ref,
            marking=self.marking,
            restricted_file=self.restricted_file,
            state=self.state,
            status=self.status,
            valid_until=date.fromisoformat(self.valid_until) if self.valid_until else None,
            purge_after=date.fromisoformat(self.purge_after),
            data=loads(self.data_json),
            flags=loads(self.flags_json),
            data_json=self.data_json,
            flags_json=self.flags_json,
            keys=[tuple(k) for k in self.keys],  # type: ignore[misc]
            content_hash=self.content_hash,
            purge_defaulted=self.purge_defaulted,
        )


def encode(item: PreparedRecord) -> EncodedRecord:
    return EncodedRecord(
        record_type=item.record_type,
        agency=item.agency,
        source_ref=item.source_ref,
        marking=item.marking,
        restricted_file=item.restricted_file,
        state=item.state,
        status=item.status,
        valid_until=item.valid_until.isoformat() if item.valid_until else None,
        purge_after=item.purge_after.isoformat(),
        content_hash=item.content_hash,
        flags_json=item.flags_json or dumps(item.flags),
        data_json=item.data_json or dumps(item.data),
        keys=tuple(item.keys),
        proposed_id=uuid7(),
        purge_defaulted=item.purge_defaulted,
    )


def bulk_write(
    conn: Connection,
    items: Sequence[EncodedRecord],
    actor: str,
    now: datetime,
    may_replace: MayReplace | None = None,
) -> list[WriteResult]:
    """Upsert ``items`` on (agency, record type, source_ref); results in input order.

    Same outcome as :func:`writer.write_records`: duplicates inside ``items`` are merged (the
    last wins) and every input position gets the result of its natural key. If
    ``may_replace`` refuses existing records, :class:`ReplaceRefused` names all of them
    before anything is written, so the caller can set them aside and write the rest.
    """
    last = {item.natural_key: item for item in items}
    existing = _existing(conn, list(last.values()))  # type: ignore[arg-type]  # same key fields
    refused = refused_replacements(existing, may_replace)
    if refused:
        raise ReplaceRefused(refused)
    fresh = [item for key, item in last.items() if key not in existing]
    known = [item.decode() for key, item in last.items() if key in existing]
    results: dict[tuple[str, str, str], WriteResult] = {}
    if known:
        for old, result in zip(
            known, write_records(conn, known, actor, now, may_replace=may_replace), strict=True
        ):
            results[old.natural_key] = result
    if fresh:
        ids = [item.proposed_id or uuid7() for item in fresh]
        _insert_fresh(conn, fresh, ids, actor, now)
        for new, record_id in zip(fresh, ids, strict=True):
            results[new.natural_key] = WriteResult(
                record_id, 1, WriteOutcome.CREATED, new.record_type, new.source_ref
            )
    return [results[item.natural_key] for item in items]


def _insert_fresh(
    conn: Connection, items: list[EncodedRecord], ids: list[str], actor: str, now: datetime
) -> None:
    """Records, keys and outbox events of new records, as driver tuples (no version rows:
    version 1 is the records row itself)."""
    dialect = dialect_for(conn)
    at = dialect.driver_time(now)
    pairs = list(zip(items, ids, strict=True))
    record_rows = [
        rows.record_row(i, rid, 1, actor, at, i.flags_json, i.data_json) for i, rid in pairs
    ]
    dialect.insert_rows(conn, records, rows.RecordRow._fields, record_rows)
    key_rows = [row for i, rid in pairs for row in rows.key_rows(i.keys, rid, i.record_type)]
    if key_rows:
        dialect.insert_rows(conn, record_keys, rows.KeyRow._fields, key_rows)
    outbox_rows = [
        rows.outbox_row(
            i.record_type,
            i.agency,
            i.marking,
            rid,
            1,
            "created",
            dumps([list(k) for k in i.keys]),
            at,
        )
        for i, rid in pairs
    ]
    dialect.insert_rows(conn, outbox, rows.OutboxRow._fields, outbox_rows)
    note_written(conn)


class PlannerStatistics:
    """Keeps PostgreSQL's statistics in step with a table a bulk load is filling.

    The lookup of existing source_refs is planned from table statistics; on a table that grew
    from nothing within one load they say "tiny", and the planner filters a whole agency's rows
    instead of probing the unique index, which makes each batch slower than the last. Analysing
    whenever the load has doubled what it wrote keeps the plan right for log(n) ANALYZEs.
    """

    def __init__(self, first: int = 2000) -> None:
        self._next = first
        self._written = 0

    def note(self, conn: Connection, written: int) -> None:
        self._written += written
        if self._written >= self._next:
            dialect_for(conn).after_batch(conn)
            self._next = self._written * 2
