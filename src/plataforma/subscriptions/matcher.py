"""The ``subscriptions`` consumer: a new or changed record → its subscribers' notices.

Per event: one indexed lookup of the subscriptions holding any of its keys (and, for an
incident, its areas); the record itself is read only when some subscription matched (or to
learn an incident's place). Each match is judged by the policy as a read of the subscriber
(or of their agency's desk) for the subscription's purpose: a record they may not read
produces nothing, and what a notice says is no more than the envelope they may read.
"""

from __future__ import annotations

import logging

from plataforma.model.envelope import Envelope
from plataforma.model.records.object_keys import is_possible_key
from plataforma.realtime.bus import Handler
from plataforma.realtime.events import RecordEvent
from plataforma.realtime.inbox import Notification, NotificationKind
from plataforma.records.hits import hit_of
from plataforma.security.policy import Purpose
from plataforma.security.principal import Principal
from plataforma.security.services import PlatformServices
from plataforma.store import reader
from plataforma.subscriptions import repository
from plataforma.subscriptions.candidates import area_candidates, key_candidates
from plataforma.subscriptions.notify import Outgoing, may_learn, outgoing, send
from plataforma.subscriptions.principals import Recipients
from plataforma.subscriptions.repository import Subscription

CONSUMER = "subscriptions"
log = logging.getLogger(__name__)


def _notice(
    subscription: Subscription,
    record: Envelope,
    event: RecordEvent,
    principal: Principal,
    key_kind: str,
) -> Outgoing:
    hit = hit_of(record, event.created_at.date())
    notification = Notification(
        kind=NotificationKind.SUBSCRIPTION_MATCH,
        dedupe_key=f"sub:{subscription.id}:{record.id}:{event.version}",
        recipient_user=None if subscription.desk else subscription.owner_user,
        recipient_agency=subscription.agency if subscription.desk else None,
        record_id=record.id,
        record_type=record.record_type,
        ref_id=subscription.id,
        summary={
            "subscription": subscription.label,
            "event": event.event,
            "version": event.version,
            "record_type": record.record_type,
            "agency": record.agency,
            "status": str(record.status),
            "hit": None if hit is None else str(hit),
            # A skeleton key: the record's plate, VIN or serial differs from the one followed
            # by confusable glyphs (O/0, I/1, ...): possibly the same object, to check.
            "match": "confusable" if is_possible_key(key_kind) else "exact",
        },
    )
    return outgoing(notification, principal, Purpose(subscription.purpose))


def notices_for(platform: PlatformServices, event: RecordEvent) -> list[Outgoing]:
    """The notices ``event`` produces (none for a purge: the record is gone)."""
    if event.event == "purged":
        return []
    out: list[Outgoing] = []
    with platform.engine.connect() as conn:
        record: Envelope | None = None
        candidates = key_candidates(event)
        if event.record_type == "incident":
            record = reader.get_record(conn, event.record_id)
            candidates += area_candidates(record) if record else []
        matches = repository.matching(conn, candidates)
        if not matches:
            return []
        record = record or reader.get_record(conn, event.record_id)
        if record is None:
            return []
        recipients = Recipients(conn)
        for subscription, (key_kind, _value) in matches:
            principal = (
                recipients.desk(subscription.agency)
                if subscription.desk
                else recipients.user(subscription.owner_user)
            )
            purpose = Purpose(subscription.purpose)
            if principal is not None and may_learn(principal, record, purpose):
                out.append(_notice(subscription, record, event, principal, key_kind))
    return out


def subscriptions_consumer(platform: PlatformServices) -> tuple[str, Handler]:
    def handle(event: RecordEvent) -> None:
        send(platform, notices_for(platform, event))

    return CONSUMER, handle
