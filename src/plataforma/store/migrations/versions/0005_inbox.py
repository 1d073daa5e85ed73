"""inbox: notifications for a user or an agency's desk

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 18:30:00

One row per notification, delivered by at-least-once consumers: the unique ``dedupe_key``
makes a second delivery of the same notification a no-op.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("recipient_user", sa.String(length=64)),
        sa.Column("recipient_agency", sa.String(length=32)),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.String(length=36)),
        sa.Column("record_type", sa.String(length=32)),
        sa.Column("ref_id", sa.String(length=36)),
        sa.Column("summary", _JSON, nullable=False),
        sa.Column("dedupe_key", sa.String(length=160), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("dedupe_key", name="uq_notifications_dedupe"),
    )
    op.create_index("ix_notifications_user", "notifications", ["recipient_user", "id"])
    op.create_index("ix_notifications_agency", "notifications", ["recipient_agency", "id"])


def downgrade() -> None:
    op.drop_table("notifications")
