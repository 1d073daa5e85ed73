"""trend counts: live incident counts by crime type, area and period

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 22:00:00

``trend_counts`` holds the live aggregates the trends consumer keeps (one row per grain,
SESNSP subtipo, area level, area and period start); ``trend_contributions`` what each
incident added, so an update or purge subtracts exactly what it had added.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "trend_counts",
        sa.Column("grain", sa.String(length=8), primary_key=True),
        sa.Column("crime_type", sa.String(length=64), primary_key=True),
        sa.Column("area_level", sa.String(length=16), primary_key=True),
        sa.Column("area", sa.String(length=16), primary_key=True),
        sa.Column("period_start", sa.Date(), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "trend_contributions",
        sa.Column("record_id", sa.String(length=36), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("keys", _JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("trend_contributions")
    op.drop_table("trend_counts")
