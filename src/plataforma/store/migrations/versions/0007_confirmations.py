"""confirmations and agency messages

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 18:30:00

Placeholder kept in the chain; the confirmation and messages work fills it.
"""

from __future__ import annotations

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
