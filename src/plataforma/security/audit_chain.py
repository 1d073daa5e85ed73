"""Linking unchained audit rows, only ever from a head the checkpoint log confirms.

The chainer takes the head row's lock, checks that the database's chain still holds the
latest checkpointed head (the row at that sequence exists with that hash, the chain has not
gone back behind it, and the head row agrees with the chain's last row), links up to a batch
of unchained rows in id order under the current canonical form, commits, and appends the new
head to the checkpoint log. When the check fails it links nothing: continuing would bless a
truncated or rewritten history with a fresh checkpoint. Events keep being inserted unchained
meanwhile, so nothing is lost while an operator investigates.

The rows are read back rather than hashed from memory on purpose: the link must cover what
the database holds (after its own rounding and coercions), since that is what the verifier
recomputes. Reading only the unchained partial index keeps that read a short range scan.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, String, select, type_coerce, update

from plataforma.security.audit_forms import hash_v2_values, utc_text
from plataforma.security.checkpoint import Checkpoint, append_head, latest_head
from plataforma.store.dialect import dialect_for
from plataforma.store.engine import begin_write
from plataforma.store.tables import audit_head, audit_log

log = logging.getLogger(__name__)

GENESIS = "0" * 64
# The form the loop below computes (hash_v2_values); new forms need their own loop.
_FORM = 2
CHAIN_BATCH = 20_000

# In the order hash_v2_values takes; the time read raw (SQLite's text, PostgreSQL's value).
_HASHED = [
    audit_log.c.id,
    type_coerce(audit_log.c.at, String).label("at"),
    audit_log.c.actor,
    audit_log.c.agency,
    audit_log.c.action,
    audit_log.c.outcome,
    audit_log.c.record_type,
    audit_log.c.record_id,
    audit_log.c.purpose,
    audit_log.c.source_ip,
    # Raw JSON text on SQLite, decoded here with orjson: SQLAlchemy's JSON result processor
    # was a fifth of the chainer's time. (psycopg may decode JSONB itself; both are handled.)
    type_coerce(audit_log.c.detail, String).label("detail"),
]


class ChainRefused(Exception):
    """The database's chain is not what the checkpoint log witnessed; nothing was linked."""


class _FirstChainRaced(Exception):
    """Another process created the head row first; this run's links are rolled back."""


@dataclass(frozen=True, slots=True)
class Link:
    chain_seq: int
    hash: str


def _last_row(conn: Connection) -> Link | None:
    last = conn.execute(
        select(audit_log.c.chain_seq, audit_log.c.hash)
        .where(audit_log.c.chain_seq.is_not(None))
        .order_by(audit_log.c.chain_seq.desc())
        .limit(1)
    ).first()
    return Link(last.chain_seq, last.hash) if last else None


def confirmed_head(conn: Connection, checkpoint: Checkpoint) -> Link:
    """The head to continue from, or :class:`ChainRefused` saying why there is none."""
    head = conn.execute(select(audit_head).where(audit_head.c.id == 1)).first()
    last = _last_row(conn)
    witnessed = latest_head(checkpoint)
    if witnessed is None:
        if last is not None or head is not None:
            raise ChainRefused(
                f"the database holds a chain (head {(last or head).chain_seq}) "  # type: ignore[union-attr]
                f"but the checkpoint log {checkpoint} has no head: restore the checkpoint log"
            )
        return Link(0, GENESIS)
    if last is None or last.chain_seq < witnessed.chain_seq:
        ends = last.chain_seq if last else 0
        raise ChainRefused(
            f"the chain ends at {ends} but was checkpointed at {witnessed.chain_seq} (truncated)"
        )
    at_checkpoint = conn.execute(
        select(audit_log.c.hash).where(audit_log.c.chain_seq == witnessed.chain_seq)
    ).scalar()
    if at_checkpoint != witnessed.hash:
        raise ChainRefused(
            f"row {witnessed.chain_seq} differs from the checkpointed head (rewritten)"
        )
    if head is not None and (head.chain_seq, head.hash) != (last.chain_seq, last.hash):
        raise ChainRefused(
            f"the head row says {head.chain_seq} but the chain ends at {last.chain_seq}"
        )
    return Link(last.chain_seq, last.hash)


def chain_batch(engine: Engine, checkpoint: Checkpoint, batch: int = CHAIN_BATCH) -> int:
    """Link up to ``batch`` unchained rows; the number linked, or :class:`ChainRefused`.

    On PostgreSQL two processes that chain a store with no head row yet both find nothing to
    lock, and both try to create the row at the end. The second's insert finds the first's
    and does nothing; its links (computed from the genesis the first has just moved past) are
    rolled back and it reports 0 linked: a benign race, not a failure, and the next run
    continues from the first's head.
    """
    try:
        return _chain_batch(engine, checkpoint, batch)
    except _FirstChainRaced:
        log.info("audit chain: another process created the chain's head first; retrying later")
        return 0


def _chain_batch(engine: Engine, checkpoint: Checkpoint, batch: int) -> int:
    with begin_write(engine) as conn:
        linked, head = link_unchained(conn, checkpoint, batch)
    # After the commit: a checkpoint must never name a head the database could roll back.
    if head is not None:
        append_head(checkpoint, head.chain_seq, head.hash)
    return linked


def link_unchained(
    conn: Connection, checkpoint: Checkpoint, batch: int = CHAIN_BATCH, *, start_chain: bool = True
) -> tuple[int, Link | None]:
    """Link up to ``batch`` unchained rows in ``conn``'s write transaction.

    Returns how many were linked and the new head, which the caller appends to the checkpoint
    log once the transaction has committed (never before: a checkpoint must not name a head
    the database could roll back). Raises :class:`ChainRefused` when the checkpoint does not
    confirm the chain. With ``start_chain=False`` a store without a head row is left for the
    chainer, which alone may race another process to create it.
    """
    # Take the write lock first (SQLite), or the head's row lock (PostgreSQL).
    locked = conn.execute(update(audit_head).where(audit_head.c.id == 1).values(id=1))
    if not locked.rowcount and not start_chain:
        return 0, None
    start = confirmed_head(conn, checkpoint)
    rows = conn.execute(
        select(*_HASHED).where(audit_log.c.hash.is_(None)).order_by(audit_log.c.id).limit(batch)
    ).all()
    if not rows:
        return 0, None
    seq, prev = start.chain_seq, start.hash
    links: list[tuple[int, int, str, str]] = []
    # A bulk import stamps a whole batch with one time: convert each distinct one once.
    last_at: Any = None
    at_text = ""
    for row in rows:
        seq += 1
        if row[1] != last_at:
            last_at, at_text = row[1], utc_text(row[1])
        detail = row[10]
        values = (*row[:10], orjson.loads(detail)) if isinstance(detail, str) else row
        digest = hash_v2_values(prev, seq, values, at_text)
        links.append((row[0], seq, prev, digest))
        prev = digest
    _store_links(conn, links)
    if locked.rowcount:
        conn.execute(
            update(audit_head).where(audit_head.c.id == 1).values(chain_seq=seq, hash=prev)
        )
    else:
        first = dialect_for(conn).insert_ignoring_duplicates(audit_head)
        if conn.execute(first.values(id=1, chain_seq=seq, hash=prev)).first() is None:
            raise _FirstChainRaced
    return len(rows), Link(seq, prev)


def _store_links(conn: Connection, links: list[tuple[int, int, str, str]]) -> None:
    """One batch update (arrays on PostgreSQL, a prepared executemany on SQLite)."""
    dialect_for(conn).update_rows(
        conn,
        audit_log,
        ("id", "chain_seq", "prev_hash", "hash", "chain_version"),
        [(*link, _FORM) for link in links],
    )
