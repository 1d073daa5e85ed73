"""The inbox: notifications for a user or for an agency's desk, delivered once each.

Every capability that tells someone something (a delayed hit, a confirmation request, a
subscription match, a deconfliction, an agency message) delivers a :class:`Notification`
here. Delivery is idempotent on the notification's ``dedupe_key``, so an at-least-once
consumer that runs twice leaves one row. After the commit, a signal on the bus wakes the
recipients' open streams (Server-Sent Events) in whichever process they are connected.

A notification carries ids and routing facts, not content: what the recipient may read of
the record it names is decided again, by the policy, when it is opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import orjson
from sqlalchemy import Connection, Engine

from plataforma.realtime.bus import Bus
from plataforma.store.dialect import dialect_for
from plataforma.store.engine import begin_write
from plataforma.store.tables import notifications


class NotificationKind(StrEnum):
    DELAYED_HIT = "delayed_hit"
    CONFIRMATION_REQUEST = "confirmation_request"
    CONFIRMATION_ANSWER = "confirmation_answer"
    CONFIRMATION_OVERDUE = "confirmation_overdue"
    SUBSCRIPTION_MATCH = "subscription_match"
    DECONFLICTION = "deconfliction"
    MESSAGE = "message"
    TREND_ALARM = "trend_alarm"


class Priority(StrEnum):
    ROUTINE = "routine"
    URGENT = "urgent"


#: Subject of the signal that wakes a user's streams: ``inbox.user.<username>`` or
#: ``inbox.agency.<code>``.
SIGNAL_PREFIX = "inbox"
# Rows per insert statement: 12 columns each stay far below SQLite's 32,766 bound parameters.
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Notification:
    kind: NotificationKind
    dedupe_key: str
    recipient_user: str | None = None
    recipient_agency: str | None = None
    priority: Priority = Priority.ROUTINE
    record_id: str | None = None
    record_type: str | None = None
    ref_id: str | None = None
    #: Facts safe to show before the record is opened (no content of the record).
    summary: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if (self.recipient_user is None) == (self.recipient_agency is None):
            raise ValueError("a notification has exactly one recipient: a user or an agency")

    def signal_subject(self) -> str:
        if self.recipient_user is not None:
            return f"{SIGNAL_PREFIX}.user.{self.recipient_user}"
        return f"{SIGNAL_PREFIX}.agency.{self.recipient_agency}"

    def row(self, now: datetime) -> dict[str, Any]:
        return {
            "recipient_user": self.recipient_user,
            "recipient_agency": self.recipient_agency,
            "kind": str(self.kind),
            "priority": str(self.priority),
            "record_id": self.record_id,
            "record_type": self.record_type,
            "ref_id": self.ref_id,
            "summary": self.summary,
            "dedupe_key": self.dedupe_key[:160],
            "created_at": now,
            "read_at": None,
        }


def deliver_in(conn: Connection, items: Sequence[Notification]) -> list[Notification]:
    """Insert ``items`` in the caller's transaction; returns those that were new.

    One multi-row statement per chunk (a broadcast to every agency was one round trip per
    recipient); the dedupe keys that come back tell which rows were new.
    """
    if not items:
        return []
    now = datetime.now(UTC)
    statement = dialect_for(conn).insert_ignoring_duplicates(notifications)
    statement = statement.returning(notifications.c.dedupe_key)
    new_keys: set[str] = set()
    for start in range(0, len(items), _CHUNK):
        chunk = [item.row(now) for item in items[start : start + _CHUNK]]
        new_keys.update(row.dedupe_key for row in conn.execute(statement.values(chunk)))
    fresh: list[Notification] = []
    for item in items:
        key = item.dedupe_key[:160]
        if key in new_keys:  # once, even if the same key was asked twice
            new_keys.discard(key)
            fresh.append(item)
    return fresh


def announce(bus: Bus | None, items: Sequence[Notification]) -> None:
    """After the commit: wake the recipients' open streams (best effort)."""
    if bus is None:
        return
    for subject in sorted({item.signal_subject() for item in items}):
        bus.signal(subject, orjson.dumps({"kinds": sorted({str(i.kind) for i in items})}))


def deliver(engine: Engine, bus: Bus | None, items: Sequence[Notification]) -> int:
    """Deliver ``items`` in a transaction of their own, then announce them; how many were new."""
    with begin_write(engine) as conn:
        fresh = deliver_in(conn, items)
    announce(bus, fresh)
    return len(fresh)
