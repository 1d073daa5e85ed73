"""A principal's notifications: their own and their agency's desk's, newest first.

Who reads which notification is :func:`policy.can_read_notification`; the listing applies it
in SQL (:func:`_mine`), so pages, cursors and counts hold only the reader's rows. A
notification about a record the reader may not see is shown without its reference
(:func:`policy.can_see_reference`). Every read is audited durably (NOTIFICATION) before it
is answered; marking one read is a write, audited in its own transaction.

Read state is one per notification: a desk notification read by one officer of the agency is
read for the whole desk, which is what a desk is for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, false, func, or_, select, update

from plataforma.model.envelope import Marking
from plataforma.security import policy
from plataforma.security.audit import AuditAction, AuditEvent, Outcome, append
from plataforma.security.principal import Principal
from plataforma.security.services import PlatformServices
from plataforma.store.engine import begin_write
from plataforma.store.tables import notifications, records

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class BadCursor(ValueError):
    """A cursor that is not one this listing gave out."""


class NotYours(LookupError):
    """No such notification among the reader's (whether it exists elsewhere is not said)."""


@dataclass(frozen=True, slots=True)
class InboxItem:
    id: int
    kind: str
    priority: str
    #: ``user`` (addressed to the reader) or ``agency`` (to their agency's desk).
    to: str
    record_id: str | None
    record_type: str | None
    ref_id: str | None
    summary: dict[str, Any]
    #: Both in UTC (SQLite hands back naive times, read here as the UTC they are).
    created_at: datetime
    read_at: datetime | None
    #: True when the record it names is hidden from the reader (reference left out).
    withheld: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "priority": self.priority,
            "to": self.to,
            "record_id": self.record_id,
            "record_type": self.record_type,
            "ref_id": self.ref_id,
            "summary": self.summary,
            "created_at": self.created_at.isoformat(),
            "read_at": self.read_at.isoformat() if self.read_at else None,
            "withheld": self.withheld,
        }


@dataclass(frozen=True, slots=True)
class InboxPage:
    items: list[InboxItem]
    next_cursor: str | None
    unread: int


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _mine(principal: Principal) -> ColumnElement[bool]:
    recipients = policy.notification_recipients(principal)
    if recipients is None:
        return false()
    user, agency = recipients
    return or_(notifications.c.recipient_user == user, notifications.c.recipient_agency == agency)


def parse_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    if not cursor.isdigit() or len(cursor) > 19:
        raise BadCursor("not a cursor of this listing")
    return int(cursor)


def list_page(
    platform: PlatformServices,
    principal: Principal,
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    unread_only: bool = False,
) -> InboxPage:
    """A page of the reader's notifications, newest first; audited."""
    before = parse_cursor(cursor)
    query = select(notifications).where(_mine(principal))
    if before is not None:
        query = query.where(notifications.c.id < before)
    if unread_only:
        query = query.where(notifications.c.read_at.is_(None))
    with platform.engine.connect() as conn:
        rows = conn.execute(query.order_by(notifications.c.id.desc()).limit(limit + 1)).all()
        items = _items(conn, principal, rows[:limit])
        unread = _unread(conn, principal)
    _audit_read(platform, principal, "list", items)
    more = len(rows) > limit
    return InboxPage(items, str(items[-1].id) if more and items else None, unread)


def since(
    platform: PlatformServices, principal: Principal, after: int, limit: int
) -> tuple[list[InboxItem], int]:
    """The reader's notifications after id ``after``, oldest first, and the unread count
    (for the live stream); audited when any are returned."""
    query = (
        select(notifications)
        .where(_mine(principal), notifications.c.id > after)
        .order_by(notifications.c.id)
        .limit(limit)
    )
    with platform.engine.connect() as conn:
        items = _items(conn, principal, conn.execute(query).all())
        unread = _unread(conn, principal) if items else -1
    if items:
        _audit_read(platform, principal, "stream", items)
    return items, unread


def latest_id(platform: PlatformServices, principal: Principal) -> int:
    """The id of the reader's newest notification (0 when none): where a new stream starts."""
    with platform.engine.connect() as conn:
        found = conn.scalar(select(func.max(notifications.c.id)).where(_mine(principal)))
    return int(found or 0)


def unread_count(platform: PlatformServices, principal: Principal) -> int:
    """How many of the reader's notifications are unread (the header's badge); audited."""
    with platform.engine.connect() as conn:
        count = _unread(conn, principal)
    platform.audit.record(
        AuditEvent.of(principal, AuditAction.NOTIFICATION, detail={"op": "count", "unread": count})
    )
    return count


def mark_read(platform: PlatformServices, principal: Principal, notification_id: int) -> InboxItem:
    """Mark one of the reader's notifications read (idempotent); :class:`NotYours` if it is
    not theirs or does not exist, which the audit log records as a refusal."""
    now = datetime.now(UTC)
    with begin_write(platform.engine) as conn:
        row = conn.execute(
            select(notifications).where(notifications.c.id == notification_id)
        ).one_or_none()
        decision = (
            policy.can_read_notification(principal, row.recipient_user, row.recipient_agency)
            if row is not None
            else policy.Decision(False, "no such notification")
        )
        event = AuditEvent.of(
            principal,
            AuditAction.NOTIFICATION,
            Outcome.OK if decision else Outcome.DENIED,
            detail={"op": "mark_read", "id": notification_id}
            | ({} if decision else {"reason": decision.reason}),
        )
        append(conn, [event])
        if row is None or not decision:
            item = None
        else:
            if row.read_at is None:
                conn.execute(
                    update(notifications)
                    .where(notifications.c.id == notification_id)
                    .values(read_at=now)
                )
            item = _items(conn, principal, [row], read_at=row.read_at or now)[0]
    if item is None:
        raise NotYours(notification_id)
    return item


def _unread(conn: Connection, principal: Principal) -> int:
    query = (
        select(func.count())
        .select_from(notifications)
        .where(_mine(principal), notifications.c.read_at.is_(None))
    )
    return int(conn.scalar(query) or 0)


def _items(
    conn: Connection, principal: Principal, rows: Any, read_at: datetime | None = None
) -> list[InboxItem]:
    """Rows as items, each reference shown only if the reader may see the record."""
    ids = sorted({row.record_id for row in rows if row.record_id})
    facts: dict[str, policy.RecordFacts] = {}
    if ids:
        found = conn.execute(
            select(
                records.c.id,
                records.c.record_type,
                records.c.agency,
                records.c.marking,
                records.c.state,
                records.c.restricted_file,
            ).where(records.c.id.in_(ids))
        ).all()
        facts = {
            r.id: policy.RecordFacts(
                r.record_type, r.agency, Marking(r.marking), r.state, r.restricted_file
            )
            for r in found
        }
    items = []
    for row in rows:
        shown = not row.record_id or bool(
            policy.can_see_reference(principal, facts.get(row.record_id))
        )
        items.append(
            InboxItem(
                id=int(row.id),
                kind=row.kind,
                priority=row.priority,
                to="user" if row.recipient_user is not None else "agency",
                record_id=row.record_id if shown else None,
                record_type=row.record_type if shown else None,
                ref_id=row.ref_id,
                summary=dict(row.summary or {}) if shown else {},
                created_at=_utc(row.created_at),
                read_at=_utc(read_at or row.read_at) if (read_at or row.read_at) else None,
                withheld=not shown,
            )
        )
    return items


def _audit_read(
    platform: PlatformServices, principal: Principal, op: str, items: list[InboxItem]
) -> None:
    platform.audit.record(
        AuditEvent.of(
            principal,
            AuditAction.NOTIFICATION,
            detail={"op": op, "ids": [item.id for item in items][:200]},
        )
    )
