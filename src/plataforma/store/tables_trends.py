"""The live trend tables (revisions 0010, 0011): counts, contributions, touched periods, alarms.

Kept out of ``tables.py`` only for size; ``tables`` re-exports them, so importing it still
declares the whole schema on one ``metadata``.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from plataforma.store.schema import Json, metadata

# Live trend counts (trends/aggregator.py): incidents per SESNSP subtipo × area (nation, state,
# municipality, H3 cell) × period (day, Mon–Sun week, month), kept by a bus consumer.
trend_counts = Table(
    "trend_counts",
    metadata,
    Column("grain", String(8), primary_key=True),
    Column("crime_type", String(64), primary_key=True),
    Column("area_level", String(16), primary_key=True),
    Column("area", String(16), primary_key=True),
    Column("period_start", Date, primary_key=True),
    Column("count", Integer, nullable=False),
    # Dashboard and alarm reads name a level and an area and a window, across crime types:
    # the primary key (crime type second) would scan the whole grain. Covering, so SQLite
    # answers from the index alone (measured in bench/trends_dashboard.py).
    Index(
        "ix_trend_counts_area",
        "grain",
        "area_level",
        "area",
        "period_start",
        "crime_type",
        "count",
    ),
    sqlite_with_rowid=False,
)
# What each incident added to trend_counts, so a correction or purge takes exactly it back.
trend_contributions = Table(
    "trend_contributions",
    metadata,
    Column("record_id", String(36), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("keys", Json, nullable=False),
)


# Periods whose live counts changed since the alarms job last read them (trends/live_alarms.py):
# the aggregator marks them, so a late incident makes its past period be evaluated again.
trend_touched = Table(
    "trend_touched",
    metadata,
    Column("grain", String(8), primary_key=True),
    Column("period_start", Date, primary_key=True),
    Column("touched_at", DateTime(timezone=True), nullable=False),
)
# Alarms fired on the live counts, one per series and period; first_seen_at is when the job
# first raised it (notifications go out then), the values are those of its last evaluation.
trend_alarms = Table(
    "trend_alarms",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("grain", String(8), nullable=False),
    Column("area_level", String(16), nullable=False),
    Column("area", String(16), nullable=False),
    Column("crime_level", String(16), nullable=False),
    Column("crime_type", String(64), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("observed", Float, nullable=False),
    Column("expected", Float, nullable=False),
    Column("upper", Float, nullable=False),
    Column("score", Float, nullable=False),
    Column("pvalue", Float, nullable=True),
    Column("qvalue", Float, nullable=True),
    Column("method", String(16), nullable=False),
    Column("reason", String(400), nullable=False),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
    Column("evaluated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint(
        "grain",
        "area_level",
        "area",
        "crime_level",
        "crime_type",
        "period_start",
        name="uq_trend_alarms_series_period",
    ),
    Index("ix_trend_alarms_period", "grain", "period_start"),
)
