"""realtime: durable consumer positions of the bus

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 18:30:00

Placeholder kept in the chain; the realtime work fills it.
"""

from __future__ import annotations

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
