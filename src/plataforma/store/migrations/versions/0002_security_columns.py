"""security columns: each version's restricted file, TOTP replay guard, demo accounts, chain form

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 22:30:00

* ``record_versions.restricted_file``: history is filtered version by version, so each
  version keeps the restricted file it was entered under (existing rows: the record's own).
* ``users.totp_last_step``: RFC 6238 §5.2, a code is accepted once; the last accepted step.
* ``users.demo_account``: demo mode's fixed second factor is for the accounts ``demo`` made.
* ``audit_log.chain_version``: the canonical form a row was hashed under (NULL = version 1),
  so old chains keep verifying when the form changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("record_versions") as batch:
        batch.add_column(sa.Column("restricted_file", sa.String(length=32), nullable=True))
    op.execute(
        "UPDATE record_versions SET restricted_file = "
        "(SELECT r.restricted_file FROM records r WHERE r.id = record_versions.record_id)"
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
        batch.add_column(
            sa.Column("demo_account", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("chain_version", sa.SmallInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("chain_version")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("demo_account")
        batch.drop_column("totp_last_step")
    with op.batch_alter_table("record_versions") as batch:
        batch.drop_column("restricted_file")
