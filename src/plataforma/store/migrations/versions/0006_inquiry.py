"""inquiry: the log of hit/no-hit inquiries (for delayed inquiry)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 18:30:00

Placeholder kept in the chain; the inquiry work fills it.
"""

from __future__ import annotations

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
