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

SQLite keeps the freed pages for reuse; ``VACUUM`` returns them to the file system.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_CURRENT = "rv.record_id = r.id AND rv.version = r.version"


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
