"""inquiry: the log of hit/no-hit inquiries and the keys they looked up (delayed inquiry)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 18:30:00

``inquiries`` keeps who asked what, why, and which records were hits (the confirmation that
may follow names one of them); ``inquiry_keys`` the keys looked up, in the kinds and normal
forms of ``record_keys``, so a wanted or stolen record entered later finds the inquiries of
the last hours.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_KEY = sa.String(length=160).with_variant(sa.String(length=160, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "inquiries",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("query", _JSON, nullable=False),
        sa.Column("hits", _JSON, nullable=False),
    )
    op.create_table(
        "inquiry_keys",
        sa.Column("kind", sa.String(length=16), primary_key=True),
        sa.Column("value", _KEY, primary_key=True),
        sa.Column("inquiry_id", sa.String(length=36), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_inquiry_keys_at", "inquiry_keys", ["at"])


def downgrade() -> None:
    op.drop_table("inquiry_keys")
    op.drop_table("inquiries")
