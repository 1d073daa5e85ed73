"""Deliver notices with their audit events, once each.

A notice tells its recipient that a record exists and a little about it: it is a read made
on their behalf, so it is audited as one (``AuditAction.NOTIFICATION``, with the purpose it
was judged under), in the same transaction as the inbox row. Redelivery of an event finds
the ``dedupe_key`` taken and writes neither row again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from plataforma.metrics import NOTICES
from plataforma.model.envelope import Envelope
from plataforma.realtime.inbox import Notification, announce, deliver_in
from plataforma.records.service import facts
from plataforma.security import policy
from plataforma.security.audit import AuditAction, AuditEvent, append
from plataforma.security.principal import Principal
from plataforma.security.services import PlatformServices
from plataforma.store.engine import begin_write


@dataclass(frozen=True, slots=True)
class Outgoing:
    notification: Notification
    audit: AuditEvent


def may_learn(principal: Principal, record: Envelope, purpose: policy.Purpose) -> bool:
    """Whether ``principal`` may be told of ``record``: exactly when they may read it."""
    return bool(policy.can_read(principal, facts(record), purpose))


def outgoing(notification: Notification, principal: Principal, purpose: policy.Purpose) -> Outgoing:
    event = AuditEvent.of(
        principal,
        AuditAction.NOTIFICATION,
        record_type=notification.record_type,
        record_id=notification.record_id,
        purpose=purpose,
        detail={"kind": str(notification.kind), "ref": notification.ref_id},
    )
    return Outgoing(notification, event)


def send(platform: PlatformServices, items: Sequence[Outgoing]) -> int:
    """Deliver ``items`` and audit the new ones in one transaction; how many were new."""
    if not items:
        return 0
    unique = {item.notification.dedupe_key: item for item in items}
    with begin_write(platform.engine) as conn:
        fresh = deliver_in(conn, [item.notification for item in unique.values()])
        append(conn, [unique[n.dedupe_key].audit for n in fresh])
    announce(platform.bus, fresh)
    for notification in fresh:
        NOTICES.labels(kind=str(notification.kind)).inc()
    return len(fresh)
