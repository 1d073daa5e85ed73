"""The periodic job that keeps confirmation deadlines: remind the owner, then escalate.

When an open confirmation passes its deadline, the owning agency's desk is reminded; if it is
still open ``confirmation_escalate_minutes`` after that, the agency's supervisors are told,
each in their own inbox (the desk when it has none). Every server process runs this job
(``plataforma.consumers.periodic_jobs``): each step is claimed with a conditional UPDATE
(``reminded_at IS NULL`` / ``escalated_at IS NULL``) in the transaction that writes its
thread step, audit event and notifications, so however many processes run it, a deadline is
reminded and escalated once. A promise ("will answer by") clears both claims for its new
deadline; the notifications' dedupe keys name the deadline they are about.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from plataforma.exchange.agency_desks import supervisors_of
from plataforma.exchange.boxes import aware, utc_now
from plataforma.exchange.confirmation_model import OPEN, StepKind
from plataforma.realtime.inbox import Notification, NotificationKind, Priority, announce, deliver_in
from plataforma.security.audit import AuditAction, AuditEvent, append
from plataforma.security.principal import system
from plataforma.security.services import PlatformServices
from plataforma.store.engine import begin_write
from plataforma.store.tables import confirmation_steps, confirmations

log = logging.getLogger(__name__)

#: Who the audit log names for the job's acts: the platform itself, not a user.
SYSTEM = system("confirmation-deadlines")
_BATCH = 200
_OPEN = [str(s) for s in OPEN]


def check_deadlines(platform: PlatformServices, now: datetime | None = None) -> int:
    """Remind and escalate every overdue confirmation; how many steps this process took."""
    now = now or utc_now()
    escalate_after = timedelta(minutes=platform.settings.confirmation_escalate_minutes)
    with platform.engine.connect() as conn:
        to_remind = conn.execute(
            select(confirmations.c.id)
            .where(
                confirmations.c.status.in_(_OPEN),
                confirmations.c.due_at <= now,
                confirmations.c.reminded_at.is_(None),
            )
            .limit(_BATCH)
        ).all()
        to_escalate = conn.execute(
            select(confirmations.c.id)
            .where(
                confirmations.c.status.in_(_OPEN),
                confirmations.c.reminded_at <= now - escalate_after,
                confirmations.c.escalated_at.is_(None),
            )
            .limit(_BATCH)
        ).all()
    done = sum(_claim(platform, row.id, StepKind.REMINDER, now) for row in to_remind)
    done += sum(_claim(platform, row.id, StepKind.ESCALATION, now) for row in to_escalate)
    if done:
        log.info("confirmation deadlines: %d steps taken", done)
    return done


def _claim(platform: PlatformServices, confirmation_id: str, kind: StepKind, now: datetime) -> int:
    """Take one step if no other process took it first; 1 when this call took it."""
    column = "reminded_at" if kind is StepKind.REMINDER else "escalated_at"
    claimed = confirmations.c[column].is_(None)
    with begin_write(platform.engine) as conn:
        done = conn.execute(
            update(confirmations)
            .where(
                confirmations.c.id == confirmation_id, confirmations.c.status.in_(_OPEN), claimed
            )
            .values({column: now})
        ).rowcount
        if not done:
            return 0
        row = conn.execute(select(confirmations).where(confirmations.c.id == confirmation_id)).one()
        fresh = deliver_in(conn, _notices(conn, row._asdict(), kind))
        told = sorted({n.recipient_user or n.recipient_agency or "" for n in fresh})
        detail = {"due_at": aware(row.due_at).isoformat()}
        conn.execute(
            insert(confirmation_steps),
            {
                "confirmation_id": confirmation_id,
                "at": now,
                "actor": SYSTEM.username,
                "agency": SYSTEM.agency,
                "step": str(kind),
                "detail": detail | {"told": told},
            },
        )
        append(
            conn,
            [
                AuditEvent.of(
                    SYSTEM,
                    AuditAction.CONFIRMATION,
                    record_type=row.record_type,
                    record_id=row.record_id,
                    detail={"confirmation": confirmation_id, "step": str(kind)} | detail,
                    at=now,
                )
            ],
        )
    announce(platform.bus, fresh)
    return 1


def _notices(conn: Connection, row: dict[str, Any], kind: StepKind) -> list[Notification]:
    """Reminder: the owner's desk. Escalation: each supervisor of the owner (else the desk)."""
    owner = row["owner_agency"]
    due = aware(row["due_at"]).isoformat()
    summary = {"stage": str(kind), "due_at": due, "from_agency": row["requester_agency"]}
    common: dict[str, Any] = {
        "kind": NotificationKind.CONFIRMATION_OVERDUE,
        "priority": Priority.URGENT,
        "record_id": row["record_id"],
        "record_type": row["record_type"],
        "ref_id": row["id"],
        "summary": summary,
    }
    key = f"confirmation:{row['id']}:{kind}:{due}"
    supervisors = supervisors_of(conn, owner) if kind is StepKind.ESCALATION else []
    if not supervisors:
        return [Notification(dedupe_key=key, recipient_agency=owner, **common)]
    return [
        Notification(dedupe_key=f"{key}:{user}", recipient_user=user, **common)
        for user in supervisors
    ]
