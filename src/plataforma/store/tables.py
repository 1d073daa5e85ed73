"""The store's tables: current records, their versions, inquiry keys, outbox, audit, identity.

Records of every type share one table: their content is a JSON document and what the store
needs to reason about (owner, marking, jurisdiction, retention) sits in columns. Inquiry keys
live in their own narrow table so that one index serves persons, vehicles and firearms alike.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)

from plataforma.store.schema import AutoId, Json, metadata

records = Table(
    "records",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("record_type", String(32), nullable=False),
    Column("agency", String(32), nullable=False),
    Column("source_ref", String(128), nullable=False),
    Column("marking", String(16), nullable=False),
    Column("restricted_file", String(32)),
    Column("state", String(2)),
    Column("status", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("entered_by", String(64), nullable=False),
    Column("entered_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # Who wrote the current version (entered_by wrote the first): the current version lives
    # only here, record_versions holding the superseded ones (revision 0003).
    Column("updated_by", String(64)),
    Column("valid_until", Date),
    Column("purge_after", Date, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("flags", Json, nullable=False),
    Column("data", Json, nullable=False),
    # source_ref first: it is the selective column, so the lookup of a batch's source_refs
    # probes this index even when the planner's statistics are stale (a table filling fast).
    UniqueConstraint("source_ref", "agency", "record_type", name="uq_records_source"),
    Index("ix_records_type_id", "record_type", "id"),
    Index("ix_records_purge", "purge_after"),
)

# Superseded versions only: the current version of a record is its records row, so no content
# is stored twice (revision 0003). A record's history is these rows plus the records row.
record_versions = Table(
    "record_versions",
    metadata,
    Column("record_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("marking", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("entered_by", String(64), nullable=False),
    Column("entered_at", DateTime(timezone=True), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("data", Json, nullable=False),
    # Each version is shown under its own marking and restricted file (a downgrade of the
    # current version must not declassify the earlier ones).
    Column("restricted_file", String(32)),
    sqlite_with_rowid=False,
)

# Byte order on PostgreSQL too, so prefix ranges over keys ("NAME|SURNAME|") mean the same on
# both engines; a linguistic collation would ignore the separators.
KeyText = String(160).with_variant(String(160, collation="C"), "postgresql")

record_keys = Table(
    "record_keys",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("value", KeyText, primary_key=True),
    Column("record_id", String(36), primary_key=True),
    Column("record_type", String(32), nullable=False),
    Index("ix_record_keys_record", "record_id"),
    # The primary key is the table: one B-tree per key row instead of two on the write path.
    sqlite_with_rowid=False,
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", AutoId, primary_key=True, autoincrement=True),
    Column("subject", String(96), nullable=False),
    Column("record_id", String(36), nullable=False),
    Column("record_type", String(32), nullable=False),
    Column("agency", String(32), nullable=False),
    Column("marking", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("keys", Json, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True)),
    Index("ix_outbox_unpublished", "published_at", "id"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", AutoId, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("agency", String(32), nullable=False),
    Column("action", String(32), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("record_type", String(32)),
    Column("record_id", String(36)),
    Column("purpose", String(32)),
    Column("source_ip", String(64)),
    Column("detail", Json, nullable=False),
    Column("chain_seq", BigInteger),
    Column("prev_hash", String(64)),
    Column("hash", String(64)),
    # The canonical form the row was hashed under; NULL is version 1.
    Column("chain_version", SmallInteger),
    Index("ix_audit_record", "record_id"),
    Index("ix_audit_actor_at", "actor", "at"),
    # Partial indexes: a new (unchained) event touches neither the sequence index nor, once
    # chained, the unchained one, which keeps both small and off the write path's hot pages.
    Index(
        "uq_audit_chain_seq",
        "chain_seq",
        unique=True,
        sqlite_where=text("chain_seq IS NOT NULL"),
        postgresql_where=text("chain_seq IS NOT NULL"),
    ),
    Index(
        "ix_audit_unchained",
        "id",
        sqlite_where=text("hash IS NULL"),
        postgresql_where=text("hash IS NULL"),
    ),
)

audit_head = Table(
    "audit_head",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("chain_seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("username", String(64), primary_key=True),
    Column("full_name", String(200), nullable=False),
    Column("agency", String(32), nullable=False),
    Column("roles", Json, nullable=False),
    Column("clearance", String(16), nullable=False),
    Column("restricted_access", Json, nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("totp_secret", String(64), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("locked_until", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    # RFC 6238 §5.2: the last accepted TOTP time step, so no code is accepted twice.
    Column("totp_last_step", BigInteger),
    # Made by `plataforma demo`: only these accept demo mode's fixed second factor.
    Column("demo_account", Boolean, nullable=False, server_default=false()),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", AutoId, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_login_failures_user_at", "username", "at"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("username", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("key_hash", String(64), primary_key=True),
    Column("prefix", String(16), nullable=False),
    Column("name", String(100), nullable=False),
    Column("agency", String(32), nullable=False),
    Column("roles", Json, nullable=False),
    Column("clearance", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
)

import_jobs = Table(
    "import_jobs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("record_type", String(32), nullable=False),
    Column("source", Text, nullable=False),
    Column("started_by", String(64), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("rows_read", Integer, nullable=False),
    Column("created", Integer, nullable=False),
    Column("updated", Integer, nullable=False),
    Column("unchanged", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("status", String(16), nullable=False),
)

# --- real time: bus consumers (revision 0004) ---------------------------------------------

# Where each durable consumer of the in-process bus stopped: the last outbox id it handled.
# On start it catches up from the outbox past that id (NATS keeps its own positions).
bus_consumers = Table(
    "bus_consumers",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


# --- real time: the inbox of notifications (revision 0005) -------------------------------

notifications = Table(
    "notifications",
    metadata,
    Column("id", AutoId, primary_key=True, autoincrement=True),
    # Exactly one recipient: a user, or an agency's desk (everyone of that agency reads it).
    Column("recipient_user", String(64)),
    Column("recipient_agency", String(32)),
    Column("kind", String(32), nullable=False),
    Column("priority", String(16), nullable=False),
    Column("record_id", String(36)),
    Column("record_type", String(32)),
    Column("ref_id", String(36)),
    Column("summary", Json, nullable=False),
    # At-least-once consumers deliver again after a crash: one row per dedupe key.
    Column("dedupe_key", String(160), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("read_at", DateTime(timezone=True)),
    UniqueConstraint("dedupe_key", name="uq_notifications_dedupe"),
    Index("ix_notifications_user", "recipient_user", "id"),
    Index("ix_notifications_agency", "recipient_agency", "id"),
)


# --- inquiry: the log of inquiries (revision 0006) ----------------------------------------

inquiries = Table(
    "inquiries",
    metadata,
    Column("id", String(36), primary_key=True),  # uuid7: time-ordered
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("agency", String(32), nullable=False),
    Column("purpose", String(32), nullable=False),
    Column("kind", String(16), nullable=False),  # person, vehicle, firearm
    # What was asked (normalised) and the ids of the records that were hits, for the
    # confirmation that may follow and for the auditor.
    Column("query", Json, nullable=False),
    Column("hits", Json, nullable=False),
)

# The keys an inquiry looked up, in record_keys' own kinds and normal forms, so a record
# entered later with the same key finds the inquiries of the last hours (delayed inquiry).
inquiry_keys = Table(
    "inquiry_keys",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("value", KeyText, primary_key=True),
    Column("inquiry_id", String(36), primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_inquiry_keys_at", "at"),
)


# --- confirmations and agency messages (revision 0007) ------------------------------------

# A hit confirmation (NCIC's protocol): the inquiring agency asks the owner of a record that
# was a hit whether it still stands. ``due_at`` is the owner's deadline (moved by a promise,
# "will answer by"); ``reminded_at`` and ``escalated_at`` are claimed by the periodic job with
# a conditional UPDATE, so several server processes never remind twice.
confirmations = Table(
    "confirmations",
    metadata,
    Column("id", String(36), primary_key=True),  # uuid7
    Column("inquiry_id", String(36), nullable=False),
    Column("record_id", String(36), nullable=False),
    Column("record_type", String(32), nullable=False),
    Column("requester_agency", String(32), nullable=False),
    Column("requester_user", String(64), nullable=False),
    Column("owner_agency", String(32), nullable=False),
    Column("priority", String(16), nullable=False),
    Column("note", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("answered_at", DateTime(timezone=True)),
    Column("answered_by", String(64)),
    Column("reminded_at", DateTime(timezone=True)),
    Column("escalated_at", DateTime(timezone=True)),
    Index("ix_confirmations_owner", "owner_agency", "id"),
    Index("ix_confirmations_requester", "requester_agency", "id"),
    Index("ix_confirmations_due", "status", "due_at"),
    # A second request about the same hit finds the open one instead of making another.
    Index("ix_confirmations_hit", "inquiry_id", "record_id"),
)

# The exchange both sides see: the request, each answer or promise, reminders, escalations.
confirmation_steps = Table(
    "confirmation_steps",
    metadata,
    Column("id", AutoId, primary_key=True, autoincrement=True),
    Column("confirmation_id", String(36), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("agency", String(32), nullable=False),
    Column("step", String(24), nullable=False),
    Column("detail", Json, nullable=False),
    Index("ix_confirmation_steps_thread", "confirmation_id", "id"),
)

# Agency-to-agency messages (Nlets): one row per message, one per recipient agency with its
# delivery receipt (the desk's inbox row was written) and its acknowledgement (who, when).
agency_messages = Table(
    "agency_messages",
    metadata,
    Column("id", String(36), primary_key=True),  # uuid7: the box's cursor order
    Column("at", DateTime(timezone=True), nullable=False),
    Column("sender_user", String(64), nullable=False),
    Column("sender_agency", String(32), nullable=False),
    Column("kind", String(24), nullable=False),
    Column("priority", String(16), nullable=False),
    Column("marking", String(16), nullable=False),
    Column("to_kind", String(16), nullable=False),
    Column("to_value", String(32)),
    Column("subject", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("recipient_count", Integer, nullable=False),
    Index("ix_agency_messages_sender", "sender_agency", "id"),
)

message_recipients = Table(
    "message_recipients",
    metadata,
    Column("message_id", String(36), primary_key=True),
    Column("agency", String(32), primary_key=True),
    Column("delivered_at", DateTime(timezone=True)),
    Column("acked_at", DateTime(timezone=True)),
    Column("acked_by", String(64)),
    Index("ix_message_recipients_agency", "agency", "message_id"),
)


# --- subscriptions (revision 0008) ---------------------------------------------------------

# Standing queries: a user's (or an agency desk's) interest in a person, vehicle, firearm,
# record, saved search or area x crime type. What they match on is in subscription_keys.
subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", String(36), primary_key=True),  # uuid7: time-ordered, the listing's cursor
    Column("kind", String(16), nullable=False),
    Column("owner_user", String(64), nullable=False),
    Column("agency", String(32), nullable=False),
    # True: the notifications go to the agency's desk (everyone of the agency reads them).
    Column("desk", Boolean, nullable=False),
    Column("purpose", String(32), nullable=False),
    Column("label", String(200), nullable=False),
    Column("target", Json, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_subscriptions_owner", "owner_user", "id"),
    Index("ix_subscriptions_agency", "agency", "id"),
)

# What a subscription matches, in record_keys' kinds and normal forms (plus ``name*`` for name
# prefixes, ``record`` for a record id, ``area`` for state|municipality|crime type with ``*``
# wildcards): an event looks up its own keys here instead of scanning every subscription.
subscription_keys = Table(
    "subscription_keys",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("value", KeyText, primary_key=True),
    Column("subscription_id", String(36), primary_key=True),
    Index("ix_subscription_keys_subscription", "subscription_id"),
    sqlite_with_rowid=False,
)

# The person index and trend tables live in modules of their own (size); re-exported here so
# `from plataforma.store.tables import …` and `metadata` cover the whole schema.
from plataforma.store.tables_persons import person_judgements, person_links, person_review  # noqa: E402
from plataforma.store.tables_trends import (  # noqa: E402
    trend_alarms,
    trend_contributions,
    trend_counts,
    trend_touched,
)

__all__ = [
    "AutoId",
    "Json",
    "KeyText",
    "agency_messages",
    "api_keys",
    "audit_head",
    "audit_log",
    "bus_consumers",
    "confirmation_steps",
    "confirmations",
    "import_jobs",
    "inquiries",
    "inquiry_keys",
    "login_failures",
    "message_recipients",
    "metadata",
    "notifications",
    "outbox",
    "person_judgements",
    "person_links",
    "person_review",
    "record_keys",
    "record_versions",
    "records",
    "sessions",
    "subscription_keys",
    "subscriptions",
    "trend_alarms",
    "trend_contributions",
    "trend_counts",
    "trend_touched",
    "users",
]
