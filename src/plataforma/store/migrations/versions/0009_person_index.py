"""person index: links of mentions to national persons, judgements, the review queue

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-14 10:00:00

``person_links`` holds one row per person mention (a record's subject, or one of an
incident's involved persons) with the national person it is linked to, its score and
explanation; ``person_judgements`` analysts' "same" / "not the same" verdicts, append-only;
``person_review`` the uncertain pairs waiting for an analyst. Source records are untouched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "person_links",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("mention_id", sa.String(length=48), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("ordinal", sa.SmallInteger(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("person_id", sa.String(length=48), nullable=False),
        sa.Column("match_score", sa.Float(), nullable=False),
        sa.Column("explanation", _JSON, nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("mention_id", name="uq_person_links_mention"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_person_links_person", "person_links", ["person_id"])
    op.create_index("ix_person_links_record", "person_links", ["record_id"])
    op.create_table(
        "person_judgements",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("left_mention", sa.String(length=48), nullable=False),
        sa.Column("right_mention", sa.String(length=48), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("judged_by", sa.String(length=64), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("judged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("revoked_by", sa.String(length=64)),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_person_judgements_pair", "person_judgements", ["left_mention", "right_mention"]
    )
    op.create_table(
        "person_review",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("left_mention", sa.String(length=48), nullable=False),
        sa.Column("right_mention", sa.String(length=48), nullable=False),
        sa.Column("left_record", sa.String(length=36), nullable=False),
        sa.Column("right_record", sa.String(length=36), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("explanation", _JSON, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=64)),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("judgement_id", sa.BigInteger()),
        sa.UniqueConstraint("left_mention", "right_mention", name="uq_person_review_pair"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_person_review_status", "person_review", ["status", "id"])


def downgrade() -> None:
    op.drop_table("person_review")
    op.drop_table("person_judgements")
    op.drop_table("person_links")
