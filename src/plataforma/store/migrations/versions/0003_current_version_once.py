"""storage: the current version of a record is stored once, in records

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 23:00:00

Until now every version, the current one included, had a record_versions row, so each
record's current content was stored twice (records and record_versions), about a quarter of
a record's bytes. From here record_versions holds only superseded versions, and a record's
history is those rows plus its records row.

* ``records.updated_by``: who wrote the current version (its record_versions row said so
  before); filled from that row.
* the record_versions rows of current versions are checked against records (content hash,
  data, marking, status, restricted file) and deleted; a mismatch stops the migration.
* ``records.content_hash`` is recomputed in the form that now covers every envelope field
  (issue 7: ``purge_after`` was left out), from the stored row and its keys, so resubmitting
  an unchanged record after the upgrade is still ``unchanged``, not a new version. A record
  with an inquiry key longer than the 160 stored characters cannot be rehashed exactly; its
  next resubmission makes one version with the same content.

SQLite keeps the freed pages for reuse; ``VACUUM`` returns them to the file system.
"""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_CURRENT = "rv.record_id = r.id AND rv.version = r.version"
_CHUNK = 2000

_records = sa.table(
    "records",
    sa.column("id", sa.String),
    sa.column("agency", sa.String),
    sa.column("marking", sa.String),
    sa.column("restricted_file", sa.String),
    sa.column("status", sa.String),
    sa.column("state", sa.String),
    sa.column("valid_until", sa.Date),
    sa.column("purge_after", sa.Date),
    sa.column("content_hash", sa.String),
    sa.column("flags", sa.JSON),
    sa.column("data", sa.JSON),
)
_keys = sa.table(
    "record_keys",
    sa.column("kind", sa.String),
    sa.column("value", sa.String),
    sa.column("record_id", sa.String),
)


def _dumps(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def _content_hash(row: Any, keys: list[tuple[str, str]]) -> str:
    """``store.prepare.content_hash`` as of this revision (frozen here on purpose)."""
    envelope = {
        "agency": row.agency,
        "marking": row.marking,
        "restricted_file": row.restricted_file,
        "status": row.status,
        "state": row.state,
        "valid_until": row.valid_until.isoformat() if row.valid_until else None,
        "purge_after": row.purge_after.isoformat(),
        "keys": sorted(keys),
    }
    canonical = f"{_dumps(row.data)}|{_dumps(row.flags)}|{_dumps(envelope)}"
    return hashlib.sha256(canonical.encode()).hexdigest()


def _rehash(conn: sa.Connection) -> None:
    after = ""
    while True:
        chunk = conn.execute(
            sa.select(_records).where(_records.c.id > after).order_by(_records.c.id).limit(_CHUNK)
        ).all()
        if not chunk:
            return
        ids = [row.id for row in chunk]
        keys: dict[str, list[tuple[str, str]]] = {}
        for kind, value, record_id in conn.execute(
            sa.select(_keys.c.kind, _keys.c.value, _keys.c.record_id).where(
                _keys.c.record_id.in_(ids)
            )
        ):
            keys.setdefault(record_id, []).append((kind, value))
        conn.execute(
            _records.update()
            .where(_records.c.id == sa.bindparam("b_id"))
            .values(content_hash=sa.bindparam("b_hash")),
            [{"b_id": r.id, "b_hash": _content_hash(r, keys.get(r.id, []))} for r in chunk],
        )
        after = ids[-1]


def upgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("updated_by", sa.String(length=64), nullable=True))
    conn = op.get_bind()
    conn.execute(
        sa.text(
            "UPDATE records SET updated_by = (SELECT rv.entered_by FROM record_versions rv "
            "WHERE rv.record_id = records.id AND rv.version = records.version)"
        )
    )
    differing = conn.execute(
        sa.text(
            "SELECT r.id FROM records r JOIN record_versions rv ON " + _CURRENT + " WHERE NOT ("
            "rv.content_hash = r.content_hash AND rv.marking = r.marking "
            "AND rv.status = r.status AND rv.data = r.data "
            "AND COALESCE(rv.restricted_file, '') = COALESCE(r.restricted_file, '')) LIMIT 5"
        )
    ).all()
    if differing:
        ids = ", ".join(row[0] for row in differing)
        raise RuntimeError(
            "record_versions disagrees with records on the current version of "
            f"{ids} (and maybe more): not deleting anything; investigate before upgrading"
        )
    conn.execute(
        sa.text(
            "DELETE FROM record_versions WHERE EXISTS (SELECT 1 FROM records r "
            "WHERE r.id = record_versions.record_id AND r.version = record_versions.version)"
        )
    )
    _rehash(conn)


def downgrade() -> None:
    op.get_bind().execute(
        sa.text(
            "INSERT INTO record_versions (record_id, version, marking, status, entered_by, "
            "entered_at, content_hash, data, restricted_file) SELECT id, version, marking, "
            "status, COALESCE(updated_by, entered_by), updated_at, content_hash, data, "
            "restricted_file FROM records"
        )
    )
    with op.batch_alter_table("records") as batch:
        batch.drop_column("updated_by")
