"""realtime: durable consumer positions of the bus

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 18:30:00

The in-process bus keeps, per durable consumer, the last outbox id it handled, so that a
consumer restarted after a crash or a deploy resumes where it stopped.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bus_consumers",
        sa.Column("name", sa.String(length=64), primary_key=True),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("bus_consumers")
