"""trend alarms: alarms fired on the live counts, and the periods late incidents touched

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 22:30:00

``trend_alarms`` holds one row per (grain, area, crime type, period) the alarms job raised,
unique on that key so a rerun or a second server process never doubles one;
``trend_touched`` the (grain, period) pairs whose counts changed since the job last read
them, so a late incident makes the job evaluate its past period again; and an index of
``trend_counts`` by level, area and period for the dashboard's and the alarms' reads.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Reads by level, area and window across crime types (the dashboard, the alarms' cubes).
    op.create_index(
        "ix_trend_counts_area",
        "trend_counts",
        ["grain", "area_level", "area", "period_start", "crime_type", "count"],
    )
    op.create_table(
        "trend_touched",
        sa.Column("grain", sa.String(length=8), primary_key=True),
        sa.Column("period_start", sa.Date(), primary_key=True),
        sa.Column("touched_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "trend_alarms",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("grain", sa.String(length=8), nullable=False),
        sa.Column("area_level", sa.String(length=16), nullable=False),
        sa.Column("area", sa.String(length=16), nullable=False),
        sa.Column("crime_level", sa.String(length=16), nullable=False),
        sa.Column("crime_type", sa.String(length=64), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("observed", sa.Float(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=False),
        sa.Column("upper", sa.Float(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("pvalue", sa.Float(), nullable=True),
        sa.Column("qvalue", sa.Float(), nullable=True),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint(
            "grain",
            "area_level",
            "area",
            "crime_level",
            "crime_type",
            "period_start",
            name="uq_trend_alarms_series_period",
        ),
    )
    op.create_index("ix_trend_alarms_period", "trend_alarms", ["grain", "period_start"])


def downgrade() -> None:
    op.drop_index("ix_trend_counts_area", table_name="trend_counts")
    op.drop_index("ix_trend_alarms_period", table_name="trend_alarms")
    op.drop_table("trend_alarms")
    op.drop_table("trend_touched")
