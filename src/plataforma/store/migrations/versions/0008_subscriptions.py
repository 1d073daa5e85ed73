"""subscriptions: standing queries and the keys they match on

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 18:30:00

``subscriptions`` holds who subscribed to what, why, and where the notifications go (the
user or the agency's desk); ``subscription_keys`` the (kind, value) pairs a record event looks
up, so matching an event costs a few index probes whatever the number of subscriptions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_KEY = sa.String(length=160).with_variant(sa.String(length=160, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("owner_user", sa.String(length=64), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("desk", sa.Boolean(), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("target", _JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_subscriptions_owner", "subscriptions", ["owner_user", "id"])
    op.create_index("ix_subscriptions_agency", "subscriptions", ["agency", "id"])
    op.create_table(
        "subscription_keys",
        sa.Column("kind", sa.String(length=16), primary_key=True),
        sa.Column("value", _KEY, primary_key=True),
        sa.Column("subscription_id", sa.String(length=36), primary_key=True),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_subscription_keys_subscription", "subscription_keys", ["subscription_id"])


def downgrade() -> None:
    op.drop_table("subscription_keys")
    op.drop_table("subscriptions")
