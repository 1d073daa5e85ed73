"""The ``deconfliction`` consumer (EPIC): two agencies working one subject are told of each other.

A subject is a person key that names one person: a CURP, or a name with a full date of birth.
When agency B enters or changes a record about a subject (person, incident, detention,
warrant, protection order), agency A works that subject too if, within
``deconfliction_window_days``, A entered or changed such a record with the same key, or holds
a subscription on it, or inquired about it, for an investigative purpose.

What each side learns is only that the other agency (named, with its 24/7 contact point if
its directory entry has one) works the subject, and which of *its own* records (or its own
subscription or inquiry) the notice is about; never the other's record, its id or content.
And only when each may read the other's record: both desks (judged as the least of their
users, ``principals.desk_principal``) for two records; for an interest, the subscriber or
inquirer on B's record, and B's desk on its own. A record marked above SBU or in a restricted
file therefore never starts a deconfliction notice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from plataforma.model.envelope import Envelope
from plataforma.realtime.bus import Handler
from plataforma.realtime.events import RecordEvent
from plataforma.realtime.inbox import Notification, NotificationKind
from plataforma.security.policy import Purpose
from plataforma.security.principal import Principal
from plataforma.security.services import PlatformServices
from plataforma.store import reader
from plataforma.store.tables import record_keys, records
from plataforma.subscriptions import repository
from plataforma.subscriptions.candidates import key_in
from plataforma.subscriptions.delayed import recent_inquiries
from plataforma.subscriptions.notify import Outgoing, may_learn, outgoing, send
from plataforma.subscriptions.principals import Recipients
from plataforma.subscriptions.targets import Key

CONSUMER = "deconfliction"
SUBJECT_TYPES = ("person", "incident", "detention", "warrant", "protection_order")
#: Records of two agencies are compared under this purpose (it is what deconfliction is for).
PURPOSE = Purpose.INVESTIGATION
#: Interests (subscriptions, inquiries) that count as working a subject; a patrol stop does not.
WORKING_PURPOSES = frozenset({Purpose.INVESTIGATION, Purpose.INTELLIGENCE, Purpose.PROSECUTION})
_OTHER_RECORDS = 200
_CONTACT_FIELDS = ("contact_desk", "contact_phone", "contact_email", "contact_radio")


def subject_keys(event: RecordEvent) -> list[Key]:
    """The event's keys that name one person: CURPs, names with a full date of birth."""
    return [
        (kind, value)
        for kind, value in event.keys
        if kind == "curp" or (kind == "name" and len(value.rpartition("|")[2]) == 10)
    ]


def other_records(
    conn: Connection, keys: Sequence[Key], agency: str, since: datetime
) -> list[Envelope]:
    """Records of other agencies about a subject with ``keys``, changed since ``since``."""
    ids = select(record_keys.c.record_id).where(
        key_in(record_keys.c.kind, record_keys.c.value, keys)
    )
    query = (
        select(records)
        .where(
            records.c.id.in_(ids),
            records.c.agency != agency,
            records.c.record_type.in_(SUBJECT_TYPES),
            records.c.updated_at >= since,
        )
        .order_by(records.c.updated_at.desc(), records.c.id)
        .limit(_OTHER_RECORDS)
    )
    return [reader.to_envelope(row) for row in conn.execute(query)]


def agency_card(conn: Connection, code: str) -> dict[str, Any]:
    """What a notice says of an agency: its code, name and 24/7 contact point."""
    row = conn.execute(
        select(records.c.data)
        .where(records.c.record_type == "agency", records.c.source_ref == code)
        .limit(1)
    ).first()
    data = row.data if row else {}
    contact = {f: data[f] for f in _CONTACT_FIELDS if data.get(f)}
    return {"code": code, "name": data.get("name"), "contact": contact or None}


class _Notices:
    """The notices of one event, built with the agency cards read once each."""

    def __init__(self, conn: Connection, record: Envelope) -> None:
        self.conn = conn
        self.record = record
        self.cards: dict[str, dict[str, Any]] = {}
        self.out: list[Outgoing] = []

    def card(self, code: str) -> dict[str, Any]:
        if code not in self.cards:
            self.cards[code] = agency_card(self.conn, code)
        return self.cards[code]

    def add(
        self,
        dedupe: str,
        principal: Principal,
        purpose: Purpose,
        own: Envelope | None,
        other_agency: str,
        basis: str,
        ref_id: str | None = None,
    ) -> None:
        """Tell ``principal`` that ``other_agency`` works the subject of ``own``."""
        desk = principal.username.startswith("desk:")
        notification = Notification(
            kind=NotificationKind.DECONFLICTION,
            dedupe_key=dedupe,
            recipient_user=None if desk else principal.username,
            recipient_agency=principal.agency if desk else None,
            record_id=own.id if own else None,
            record_type=own.record_type if own else None,
            ref_id=ref_id,
            summary={"other_agency": self.card(other_agency), "basis": basis},
        )
        self.out.append(outgoing(notification, principal, purpose))


def notices_for(platform: PlatformServices, event: RecordEvent) -> list[Outgoing]:
    if event.event == "purged" or event.record_type not in SUBJECT_TYPES:
        return []
    keys = subject_keys(event)
    if not keys:
        return []
    since = datetime.now(UTC) - timedelta(days=platform.settings.deconfliction_window_days)
    with platform.engine.connect() as conn:
        record = reader.get_record(conn, event.record_id)
        if record is None:
            return []
        b = record.agency
        recipients = Recipients(conn)
        notices = _Notices(conn, record)
        desk_b = recipients.desk(b)
        if not may_learn(desk_b, record, PURPOSE):
            return []
        told: set[str] = set()
        for other in other_records(conn, keys, b, since):
            a = other.agency
            desk_a = recipients.desk(a)
            if a in told or not may_learn(desk_a, record, PURPOSE):
                continue
            if not may_learn(desk_b, other, PURPOSE):
                continue
            told.add(a)
            notices.add(f"decon:{b}:{record.id}:{a}", desk_b, PURPOSE, record, a, "record")
            notices.add(f"decon:{a}:{other.id}:{b}", desk_a, PURPOSE, other, b, "record")
        _interests(conn, keys, since, recipients, notices)
    return notices.out


def _interests(
    conn: Connection,
    keys: Sequence[Key],
    since: datetime,
    recipients: Recipients,
    notices: _Notices,
) -> None:
    """Subscriptions and inquiries of other agencies on the subject, for a working purpose."""
    record = notices.record
    b = record.agency
    desk_b = recipients.desk(b)
    for subscription, _key in repository.matching(conn, keys):
        purpose = Purpose(subscription.purpose)
        if subscription.agency == b or purpose not in WORKING_PURPOSES:
            continue
        principal = (
            recipients.desk(subscription.agency)
            if subscription.desk
            else recipients.user(subscription.owner_user)
        )
        if principal is None or not may_learn(principal, record, purpose):
            continue
        a = subscription.agency
        dedupe = f"decon:s:{subscription.id}:{record.id}"
        notices.add(dedupe, principal, purpose, record, b, "subscription", subscription.id)
        notices.add(f"decon:{b}:{record.id}:{a}", desk_b, PURPOSE, record, a, "subscription")
    # Exact subject keys only: a name-only inquiry does not name one person.
    for inquiry in recent_inquiries(conn, keys, since):
        if inquiry.agency == b or inquiry.purpose not in WORKING_PURPOSES:
            continue
        purpose = Purpose(inquiry.purpose)
        principal = recipients.user(inquiry.actor) or recipients.desk(inquiry.agency)
        if not may_learn(principal, record, purpose):
            continue
        a = inquiry.agency
        dedupe = f"decon:i:{inquiry.id}:{record.id}"
        notices.add(dedupe, principal, purpose, record, b, "inquiry", inquiry.id)
        notices.add(f"decon:{b}:{record.id}:{a}", desk_b, PURPOSE, record, a, "inquiry")


def deconfliction_consumer(platform: PlatformServices) -> tuple[str, Handler]:
    def handle(event: RecordEvent) -> None:
        send(platform, notices_for(platform, event))

    return CONSUMER, handle
