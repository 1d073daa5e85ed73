"""The master person index tables (revision 0009): links, judgements, the review queue.

Kept out of ``tables.py`` only for size; ``tables`` re-exports them, so importing it still
declares the whole schema on one ``metadata``.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Float,
    Index,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from plataforma.store.schema import AutoId, Json, metadata

# --- the master person index (revision 0009) -----------------------------------------------

# One row per person mention (a record's subject; an incident's involved persons one each,
# by ordinal): the national person it is linked to, the strongest link's probability and
# per-field weights, and the model that decided. Source records are never changed. A mention
# whose person changes gets a new row (delete + insert), so ``id`` only grows and every
# process's in-memory index catches up by reading the rows past the last id it saw.
person_links = Table(
    "person_links",
    metadata,
    Column("id", AutoId, primary_key=True, autoincrement=True),
    Column("mention_id", String(48), nullable=False),  # "<record_id>.<ordinal>"
    Column("record_id", String(36), nullable=False),
    Column("ordinal", SmallInteger, nullable=False),
    Column("role", String(32), nullable=False),
    Column("person_id", String(48), nullable=False),  # the oldest member's mention id
    Column("match_score", Float, nullable=False),
    Column("explanation", Json, nullable=False),
    Column("model_version", String(64), nullable=False),
    Column("linked_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("mention_id", name="uq_person_links_mention"),
    Index("ix_person_links_person", "person_id"),
    Index("ix_person_links_record", "record_id"),
    sqlite_autoincrement=True,
)

# Analysts' judgements on two mentions, append-only: a revoke is a new fact on the same row's
# ``revoked_*`` columns, written once; the judgement itself is never edited or deleted.
person_judgements = Table(
    "person_judgements",
    metadata,
    Column("id", AutoId, primary_key=True, autoincrement=True),
    Column("left_mention", String(48), nullable=False),
    Column("right_mention", String(48), nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("judged_by", String(64), nullable=False),
    Column("agency", String(32), nullable=False),
    Column("judged_at", DateTime(timezone=True), nullable=False),
    Column("reason", Text, nullable=False),
    Column("revoked_by", String(64)),
    Column("revoked_at", DateTime(timezone=True)),
    Index("ix_person_judgements_pair", "left_mention", "right_mention"),
    sqlite_autoincrement=True,
)

# Uncertain pairs for an analyst: the two mentions, their score and explanation, and what was
# decided. One row per pair (left < right): a redelivered event does not queue it twice.
person_review = Table(
    "person_review",
    metadata,
    Column("id", AutoId, primary_key=True, autoincrement=True),
    Column("left_mention", String(48), nullable=False),
    Column("right_mention", String(48), nullable=False),
    Column("left_record", String(36), nullable=False),
    Column("right_record", String(36), nullable=False),
    Column("probability", Float, nullable=False),
    Column("explanation", Json, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("decided_by", String(64)),
    Column("decided_at", DateTime(timezone=True)),
    Column("judgement_id", BigInteger),
    UniqueConstraint("left_mention", "right_mention", name="uq_person_review_pair"),
    Index("ix_person_review_status", "status", "id"),
)
