"""Re-derive the keys and flags of records already in a store, after their rules changed.

A record's inquiry keys (``record_keys``) and its flags are *derived* from its content by the
value types when it is written. When those rules improve (plates, VINs and serials gained
confusion-tolerant skeletons; a VIN typed with O for 0 is now read as the standard allows),
the records already stored keep the old keys until they are rewritten. This job rewrites
only what is derived: for each record it validates the stored content again, and where the
keys or flags now differ it replaces the key rows, the flags and the content hash (which
covers both, so resubmitting the record after the reindex is still ``unchanged``), in
batches that commit as they go. No version is made: the content did not change. Standing
queries get their new keys too (the skeletons of subscriptions to a plate, VIN or serial).

It resumes from any record id (``after``) and is idempotent: a second run finds nothing to
change. A stored record that no longer validates (a code removed from a catalogue) keeps its
keys, is counted and logged with its id. One audit event records the run and its counts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, func, insert, select, update

from plataforma.context import Platform
from plataforma.errors import Forbidden
from plataforma.metrics import REINDEX_FAILURES
from plataforma.model.records.object_keys import SKELETON_OF, skeleton_candidates
from plataforma.records.errors import InvalidRecord
from plataforma.records.service import validate
from plataforma.security import policy
from plataforma.security.audit import AuditAction, AuditEvent
from plataforma.security.principal import Principal
from plataforma.store.engine import begin_write
from plataforma.store.prepare import PreparedRecord, content_hash
from plataforma.store.rows import KEY_LENGTH, key_rows
from plataforma.store.tables import record_keys, records, subscription_keys

__all__ = ["BATCH", "ReindexSummary", "count_records", "reindex_keys"]

log = logging.getLogger(__name__)
BATCH = 2000


@dataclass(slots=True)
class ReindexSummary:
    """What a run read, changed and could not re-validate; ``last_id`` to resume after."""

    dry_run: bool
    read: int = 0
    changed: int = 0
    failed: int = 0
    subscription_keys_added: int = 0
    last_id: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "read": self.read,
            "changed": self.changed,
            "failed": self.failed,
            "subscription_keys_added": self.subscription_keys_added,
            "last_id": self.last_id,
        }


@dataclass(frozen=True, slots=True)
class _Derived:
    record_id: str
    record_type: str
    version: int
    keys: list[tuple[str, str]]
    flags: list[dict[str, str]]
    content_hash: str


def count_records(platform: Platform, record_types: Sequence[str] = ()) -> int:
    query = select(func.count()).select_from(records)
    if record_types:
        query = query.where(records.c.record_type.in_(record_types))
    with platform.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def reindex_keys(
    platform: Platform,
    principal: Principal,
    record_types: Sequence[str] = (),
    *,
    after: str = "",
    dry_run: bool = False,
    batch: int = BATCH,
    on_batch: Callable[[ReindexSummary], None] | None = None,
) -> ReindexSummary:
    """Bring every record's keys and flags (of ``record_types``, or all) up to today's rules."""
    decision = policy.can_administer(principal)
    if not decision:
        raise Forbidden(decision.reason)
    summary = ReindexSummary(dry_run, last_id=after)
    while True:
        with platform.engine.connect() as conn:
            chunk = _read_chunk(conn, summary.last_id, record_types, batch)
            if not chunk:
                break
            stored = _stored_keys(conn, [row.id for row in chunk])
        changes = [d for d in (_derive(row, stored, summary) for row in chunk) if d]
        summary.read += len(chunk)
        summary.last_id = chunk[-1].id
        if changes and not dry_run:
            with begin_write(platform.engine) as conn:
                summary.changed += _write(conn, changes)
        elif changes:
            summary.changed += len(changes)
        if on_batch is not None:
            on_batch(summary)
    summary.subscription_keys_added = _subscription_skeletons(platform, dry_run)
    platform.audit.record(
        AuditEvent.of(principal, AuditAction.ADMIN, detail={"reindex": summary.to_json()})
    )
    return summary


def _read_chunk(
    conn: Connection, after: str, record_types: Sequence[str], batch: int
) -> list[Row[Any]]:
    query = select(records).where(records.c.id > after).order_by(records.c.id).limit(batch)
    if record_types:
        query = query.where(records.c.record_type.in_(record_types))
    return list(conn.execute(query))


def _stored_keys(conn: Connection, ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    query = select(record_keys.c.record_id, record_keys.c.kind, record_keys.c.value).where(
        record_keys.c.record_id.in_(ids)
    )
    for record_id, kind, value in conn.execute(query):
        out.setdefault(record_id, []).append((kind, value))
    return out


def _derive(
    row: Row[Any], stored: dict[str, list[tuple[str, str]]], summary: ReindexSummary
) -> _Derived | None:
    """The record's keys and flags under today's rules, if they differ from the stored ones."""
    payload = {
        **row.data,
        "source_ref": row.source_ref,
        "agency": row.agency,
        "marking": row.marking,
        "restricted_file": row.restricted_file,
        "status": row.status,
        "valid_until": row.valid_until,
        "purge_after": row.purge_after,
    }
    try:
        body = validate(row.record_type, payload)
    except InvalidRecord as error:
        summary.failed += 1
        REINDEX_FAILURES.inc()
        log.warning("reindex: record %s no longer validates: %s", row.id, error)
        return None
    keys = sorted(set(body.match_keys()))
    flags = [flag.model_dump() for flag in body.flags()]
    stored_keys = sorted(stored.get(row.id, []))
    if [(k, v[:KEY_LENGTH]) for k, v in keys] == stored_keys and flags == list(row.flags or []):
        return None
    item = PreparedRecord(
        record_type=row.record_type,
        agency=row.agency,
        source_ref=row.source_ref,
        marking=row.marking,
        restricted_file=row.restricted_file,
        state=row.state,
        status=row.status,
        valid_until=row.valid_until,
        purge_after=row.purge_after,
        data=row.data,
        flags=flags,
        keys=keys,
        content_hash="",
    )
    return _Derived(row.id, row.record_type, row.version, keys, flags, content_hash(item))


def _write(conn: Connection, changes: list[_Derived]) -> int:
    """Replace keys, flags and hash of the records still at the version they were read at."""
    ids = [c.record_id for c in changes]
    current = dict(
        conn.execute(
            select(records.c.id, records.c.version).where(records.c.id.in_(ids)).with_for_update()
        ).all()
    )
    # A record rewritten since it was read got its keys from the new rules already.
    todo = [c for c in changes if current.get(c.record_id) == c.version]
    if not todo:
        return 0
    done = [c.record_id for c in todo]
    conn.execute(delete(record_keys).where(record_keys.c.record_id.in_(done)))
    new_keys = [k._asdict() for c in todo for k in key_rows(c.keys, c.record_id, c.record_type)]
    if new_keys:
        conn.execute(insert(record_keys), new_keys)
    conn.execute(
        update(records)
        .where(records.c.id == bindparam("b_id"))
        .values(flags=bindparam("b_flags"), content_hash=bindparam("b_hash")),
        [{"b_id": c.record_id, "b_flags": c.flags, "b_hash": c.content_hash} for c in todo],
    )
    return len(todo)


def _subscription_skeletons(platform: Platform, dry_run: bool) -> int:
    """Give subscriptions to a plate, VIN or serial the skeleton they now hold."""
    exact_kinds = [str(kind) for kind in SKELETON_OF]
    skeleton_kinds = [str(kind) for kind in SKELETON_OF.values()]
    with platform.engine.connect() as conn:
        rows = conn.execute(
            select(subscription_keys).where(subscription_keys.c.kind.in_(exact_kinds))
        ).all()
        held = {
            (r.subscription_id, r.kind, r.value)
            for r in conn.execute(
                select(subscription_keys).where(subscription_keys.c.kind.in_(skeleton_kinds))
            )
        }
    missing = [
        {"kind": kind, "value": value, "subscription_id": r.subscription_id}
        for r in rows
        for kind, value in skeleton_candidates([(r.kind, r.value)])
        if (r.subscription_id, kind, value) not in held
    ]
    if missing and not dry_run:
        with begin_write(platform.engine) as conn:
            conn.execute(insert(subscription_keys), missing)
    return len(missing)
