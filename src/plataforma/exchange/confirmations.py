"""Hit confirmation, NCIC's protocol: a hit is a lead; before acting on it, the inquiring
agency asks the owning agency whether the record still stands.

The owner answers ``confirmed``, ``not_confirmed`` (the warrant was served, the vehicle
recovered) or ``will_answer_by`` a time, within 10 minutes for an urgent request and an hour
for a routine one (settings). Each step is one transaction holding the confirmation row, its
step in the thread both sides see, its audit event and the inbox notification to the other
side: what is acknowledged is durable, and nothing is told that is not on record. Deadlines
are watched by :mod:`plataforma.exchange.confirmation_deadlines`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from plataforma.errors import Forbidden, NotFound
from plataforma.exchange.agency_desks import contact_of
from plataforma.exchange.boxes import (
    Box,
    Closed,
    decode_cursor,
    encode_cursor,
    invalid,
    utc_now,
)
from plataforma.exchange.confirmation_model import (
    OPEN,
    Answer,
    Confirmation,
    ConfirmationStatus,
    StepKind,
    step_of,
)
from plataforma.realtime.inbox import Notification, NotificationKind, Priority, announce, deliver_in
from plataforma.security import policy
from plataforma.security.audit import AuditAction, AuditEvent, Outcome, append
from plataforma.security.principal import Principal
from plataforma.security.services import PlatformServices
from plataforma.store.engine import begin_write
from plataforma.store.ids import uuid7
from plataforma.store.tables import confirmation_steps, confirmations, inquiries, records

MAX_NOTE = 2000
_ANSWERS = {
    Answer.CONFIRMED: ConfirmationStatus.CONFIRMED,
    Answer.NOT_CONFIRMED: ConfirmationStatus.NOT_CONFIRMED,
    Answer.WILL_ANSWER_BY: ConfirmationStatus.PROMISED,
}


def hit_ids(hits: Any) -> set[str]:
    """The record ids an inquiry's ``hits`` column names (objects with ``record_id``)."""
    found: set[str] = set()
    for item in hits if isinstance(hits, list) else []:
        if isinstance(item, dict) and item.get("record_id"):
            found.add(str(item["record_id"]))
        elif isinstance(item, str):
            found.add(item)
    return found


@dataclass(frozen=True, slots=True)
class ConfirmationPage:
    items: list[Confirmation]
    next_cursor: str | None


class ConfirmationService:
    def __init__(self, platform: PlatformServices) -> None:
        self.platform = platform
        self.settings = platform.settings

    # --- asking ---------------------------------------------------------------------------

    def request(
        self,
        principal: Principal,
        inquiry_id: str,
        record_id: str,
        priority: Priority,
        note: str = "",
    ) -> Confirmation:
        """Ask the owner of ``record_id`` (a hit of inquiry ``inquiry_id``) to confirm it.

        Asking twice about the same hit of the same inquiry returns the open request instead
        of a second one.
        """
        if len(note) > MAX_NOTE:
            raise invalid("/note", f"longer than {MAX_NOTE} characters")
        with self.platform.engine.connect() as conn:
            inquiry = conn.execute(
                select(inquiries.c.agency, inquiries.c.hits).where(inquiries.c.id == inquiry_id)
            ).first()
            record = conn.execute(
                select(records.c.record_type, records.c.agency).where(records.c.id == record_id)
            ).first()
        was_hit = inquiry is not None and record_id in hit_ids(inquiry.hits)
        decision = policy.can_request_confirmation(
            principal, inquiry.agency if inquiry else None, was_hit and record is not None
        )
        if not decision:
            self._refused(principal, "request", decision.reason, record_id=record_id)
            raise Forbidden(decision.reason)
        assert record is not None
        now = utc_now()
        minutes = (
            self.settings.confirmation_urgent_minutes
            if priority is Priority.URGENT
            else self.settings.confirmation_routine_minutes
        )
        row = {
            "id": uuid7(),
            "inquiry_id": inquiry_id,
            "record_id": record_id,
            "record_type": record.record_type,
            "requester_agency": principal.agency,
            "requester_user": principal.username,
            "owner_agency": record.agency,
            "priority": str(priority),
            "note": note,
            "status": str(ConfirmationStatus.PENDING),
            "created_at": now,
            "due_at": now + timedelta(minutes=minutes),
        }
        with begin_write(self.platform.engine) as conn:
            existing = conn.execute(
                select(confirmations).where(
                    confirmations.c.inquiry_id == inquiry_id,
                    confirmations.c.record_id == record_id,
                    confirmations.c.requester_agency == principal.agency,
                    confirmations.c.status.in_([str(s) for s in OPEN]),
                )
            ).first()
            if existing is not None:
                return self._full(conn, existing)
            conn.execute(insert(confirmations), row)
            detail = {"priority": str(priority), "due_at": row["due_at"].isoformat()}
            self._step(conn, principal, row, StepKind.REQUEST, detail | {"note": note})
            fresh = deliver_in(
                conn,
                [
                    Notification(
                        kind=NotificationKind.CONFIRMATION_REQUEST,
                        dedupe_key=f"confirmation:{row['id']}:request",
                        recipient_agency=record.agency,
                        priority=priority,
                        record_id=record_id,
                        record_type=record.record_type,
                        ref_id=row["id"],
                        summary={"from_agency": principal.agency} | detail,
                    )
                ],
            )
            item = self._full(conn, self._select(conn, row["id"]))
        announce(self.platform.bus, fresh)
        return item

    # --- answering ------------------------------------------------------------------------

    def answer(
        self,
        principal: Principal,
        confirmation_id: str,
        answer: Answer,
        note: str = "",
        answer_by: datetime | None = None,
    ) -> Confirmation:
        """The owning agency's answer; a promise moves the deadline to ``answer_by``."""
        if len(note) > MAX_NOTE:
            raise invalid("/note", f"longer than {MAX_NOTE} characters")
        current = self._visible(principal, confirmation_id, "answer")
        decision = policy.can_answer_confirmation(principal, current.owner_agency)
        if not decision:
            self._refused(principal, "answer", decision.reason, confirmation=current)
            raise Forbidden(decision.reason)
        now = utc_now()
        changes: dict[str, Any] = {"status": str(_ANSWERS[answer])}
        detail: dict[str, Any] = {"answer": str(answer), "note": note}
        if answer is Answer.WILL_ANSWER_BY:
            changes["due_at"] = self._promise(answer_by, now)
            # A new deadline: its own reminder and escalation if it passes too.
            changes |= {"reminded_at": None, "escalated_at": None}
            detail["answer_by"] = changes["due_at"].isoformat()
        else:
            changes |= {"answered_at": now, "answered_by": principal.username}
        with begin_write(self.platform.engine) as conn:
            done = conn.execute(
                update(confirmations)
                .where(
                    confirmations.c.id == confirmation_id,
                    confirmations.c.status.in_([str(s) for s in OPEN]),
                )
                .values(**changes)
            ).rowcount
            if not done:
                raise Closed(f"confirmation {confirmation_id} was already answered")
            stored = self._select(conn, confirmation_id)
            row = stored._asdict()
            kind = StepKind.PROMISE if answer is Answer.WILL_ANSWER_BY else StepKind.ANSWER
            self._step(conn, principal, row, kind, detail)
            fresh = deliver_in(conn, [self._answer_notice(row, answer, now)])
            item = self._full(conn, stored)
        announce(self.platform.bus, fresh)
        return item

    def _promise(self, answer_by: datetime | None, now: datetime) -> datetime:
        if answer_by is None:
            raise invalid("/answer_by", "required with will_answer_by")
        if answer_by.tzinfo is None:
            raise invalid("/answer_by", "needs a time zone offset")
        limit = now + timedelta(hours=self.settings.confirmation_promise_max_hours)
        if not now < answer_by <= limit:
            hours = self.settings.confirmation_promise_max_hours
            raise invalid("/answer_by", f"must be in the next {hours:g} hours")
        return answer_by.astimezone(now.tzinfo)

    @staticmethod
    def _answer_notice(row: dict[str, Any], answer: Answer, now: datetime) -> Notification:
        return Notification(
            kind=NotificationKind.CONFIRMATION_ANSWER,
            dedupe_key=f"confirmation:{row['id']}:answer:{now.isoformat()}",
            recipient_user=row["requester_user"],
            priority=Priority(row["priority"]),
            record_id=row["record_id"],
            record_type=row["record_type"],
            ref_id=row["id"],
            summary={"from_agency": row["owner_agency"], "answer": str(answer)},
        )

    # --- reading --------------------------------------------------------------------------

    def get(self, principal: Principal, confirmation_id: str) -> Confirmation:
        """One confirmation with its thread and the owner's 24/7 contact point; audited."""
        with self.platform.engine.connect() as conn:
            row = self._select(conn, confirmation_id)
            self._check_visible(principal, row, confirmation_id, "read")
            item = self._full(conn, row)
        self.platform.audit.record(self._event(principal, item, "read"))
        return item

    @staticmethod
    def _select(conn: Connection, confirmation_id: str) -> Any:
        return conn.execute(
            select(confirmations).where(confirmations.c.id == confirmation_id)
        ).first()

    @staticmethod
    def _full(conn: Connection, row: Any) -> Confirmation:
        """``row`` with its thread and the owner's contact point, read on ``conn``."""
        steps = conn.execute(
            select(confirmation_steps)
            .where(confirmation_steps.c.confirmation_id == row.id)
            .order_by(confirmation_steps.c.id)
        )
        contact = contact_of(conn, row.owner_agency)
        return Confirmation.of(row, tuple(step_of(r) for r in steps), contact)

    def box(
        self, principal: Principal, box: Box, cursor: str | None = None, limit: int = 50
    ) -> ConfirmationPage:
        """Confirmations addressed to the caller's agency (``in``) or asked by it (``out``),
        newest first; only the caller's own agency's rows are ever selected."""
        after = decode_cursor(cursor)
        column = confirmations.c.owner_agency if box is Box.IN else confirmations.c.requester_agency
        query = select(confirmations).where(column == principal.agency)
        if after is not None:
            query = query.where(confirmations.c.id < after)
        with self.platform.engine.connect() as conn:
            rows = conn.execute(query.order_by(confirmations.c.id.desc()).limit(limit + 1)).all()
        items = [Confirmation.of(r) for r in rows[:limit]]
        self.platform.audit.record(
            AuditEvent.of(
                principal,
                AuditAction.CONFIRMATION,
                detail={"view": f"box_{box}", "ids": [c.id for c in items]},
            )
        )
        more = len(rows) > limit and bool(items)
        return ConfirmationPage(items, encode_cursor(items[-1].id) if more else None)

    # --- helpers --------------------------------------------------------------------------

    def _visible(self, principal: Principal, confirmation_id: str, step: str) -> Confirmation:
        """The confirmation if the caller may see it; else 404, as if it did not exist."""
        with self.platform.engine.connect() as conn:
            row = self._select(conn, confirmation_id)
        self._check_visible(principal, row, confirmation_id, step)
        return Confirmation.of(row)

    def _check_visible(
        self, principal: Principal, row: Any, confirmation_id: str, step: str
    ) -> None:
        decision = (
            policy.can_see_confirmation(principal, row.requester_agency, row.owner_agency)
            if row is not None
            else policy.Decision(False, "no such confirmation")
        )
        if row is None or not decision:
            self._refused(principal, step, decision.reason, confirmation_id=confirmation_id)
            raise NotFound(f"no confirmation {confirmation_id}")

    def _event(
        self, principal: Principal, row: Confirmation | dict[str, Any], step: str, **detail: Any
    ) -> AuditEvent:
        get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
        return AuditEvent.of(
            principal,
            AuditAction.CONFIRMATION,
            record_type=get("record_type"),
            record_id=get("record_id"),
            detail={"confirmation": get("id"), "step": step} | detail,
        )

    def _step(
        self,
        conn: Connection,
        principal: Principal,
        row: dict[str, Any],
        kind: StepKind,
        detail: dict[str, Any],
    ) -> None:
        """The step in the thread and its audit event, in the caller's transaction."""
        conn.execute(
            insert(confirmation_steps),
            {
                "confirmation_id": row["id"],
                "at": utc_now(),
                "actor": principal.username,
                "agency": principal.agency,
                "step": str(kind),
                "detail": detail,
            },
        )
        append(conn, [self._event(principal, row, str(kind), **detail)])

    def _refused(
        self,
        principal: Principal,
        step: str,
        reason: str,
        *,
        record_id: str | None = None,
        confirmation: Confirmation | None = None,
        confirmation_id: str | None = None,
    ) -> None:
        detail: dict[str, Any] = {"step": step, "reason": reason}
        if confirmation is not None or confirmation_id is not None:
            detail["confirmation"] = confirmation.id if confirmation else confirmation_id
        self.platform.audit.record(
            AuditEvent.of(
                principal,
                AuditAction.CONFIRMATION,
                Outcome.DENIED,
                record_id=record_id or (confirmation.record_id if confirmation else None),
                detail=detail,
            )
        )
