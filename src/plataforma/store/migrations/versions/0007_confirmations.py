"""confirmations and agency messages

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 18:30:00

``confirmations`` and ``confirmation_steps``: the NCIC hit-confirmation exchange between the
inquiring and the owning agency, with deadlines the periodic job watches. ``agency_messages``
and ``message_recipients``: Nlets-style messages, one receipt and acknowledgement per
recipient agency.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "confirmations",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("inquiry_id", sa.String(length=36), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("record_type", sa.String(length=32), nullable=False),
        sa.Column("requester_agency", sa.String(length=32), nullable=False),
        sa.Column("requester_user", sa.String(length=64), nullable=False),
        sa.Column("owner_agency", sa.String(length=32), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("due_at", _TIME, nullable=False),
        sa.Column("answered_at", _TIME),
        sa.Column("answered_by", sa.String(length=64)),
        sa.Column("reminded_at", _TIME),
        sa.Column("escalated_at", _TIME),
    )
    op.create_index("ix_confirmations_owner", "confirmations", ["owner_agency", "id"])
    op.create_index("ix_confirmations_requester", "confirmations", ["requester_agency", "id"])
    op.create_index("ix_confirmations_due", "confirmations", ["status", "due_at"])
    op.create_index("ix_confirmations_hit", "confirmations", ["inquiry_id", "record_id"])
    op.create_table(
        "confirmation_steps",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("confirmation_id", sa.String(length=36), nullable=False),
        sa.Column("at", _TIME, nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("step", sa.String(length=24), nullable=False),
        sa.Column("detail", _JSON, nullable=False),
    )
    op.create_index("ix_confirmation_steps_thread", "confirmation_steps", ["confirmation_id", "id"])
    op.create_table(
        "agency_messages",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("at", _TIME, nullable=False),
        sa.Column("sender_user", sa.String(length=64), nullable=False),
        sa.Column("sender_agency", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("marking", sa.String(length=16), nullable=False),
        sa.Column("to_kind", sa.String(length=16), nullable=False),
        sa.Column("to_value", sa.String(length=32)),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("recipient_count", sa.Integer(), nullable=False),
    )
    op.create_index("ix_agency_messages_sender", "agency_messages", ["sender_agency", "id"])
    op.create_table(
        "message_recipients",
        sa.Column("message_id", sa.String(length=36), primary_key=True),
        sa.Column("agency", sa.String(length=32), primary_key=True),
        sa.Column("delivered_at", _TIME),
        sa.Column("acked_at", _TIME),
        sa.Column("acked_by", sa.String(length=64)),
    )
    op.create_index("ix_message_recipients_agency", "message_recipients", ["agency", "message_id"])


def downgrade() -> None:
    op.drop_table("message_recipients")
    op.drop_table("agency_messages")
    op.drop_table("confirmation_steps")
    op.drop_table("confirmations")
