"""Agency-to-agency messages (Nlets): a BOLO, a request for information or free text, to one
agency, a state's agencies, a level of government, or everyone.

Recipients are agencies: each gets the message at its 24/7 desk (an inbox notification to the
agency), written in the same transaction as the message, so the delivery receipt is the
commit. A user of a recipient agency acknowledges it for the agency; the sender sees who and
when. The marking binds people, not desks: a user reads (and acknowledges) a message only
within their clearance, and boxes select only such messages, so their pages and cursors say
nothing of the others. A marking above SBU goes to one named agency only (see
``security.policy.can_send_message``): a broadcast would put it before every desk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, insert, select, update

from plataforma.errors import Forbidden, NotFound
from plataforma.exchange.agency_desks import AddressKind, agencies_at
from plataforma.exchange.boxes import Box, decode_cursor, encode_cursor, invalid, utc_now
from plataforma.exchange.message_model import Message, MessageKind, MessagePriority, Receipt
from plataforma.model.codes import resolve_state
from plataforma.model.envelope import Marking
from plataforma.model.records.agency import AgencyLevel
from plataforma.realtime.inbox import Notification, NotificationKind, Priority, announce, deliver_in
from plataforma.security import policy
from plataforma.security.audit import AuditAction, AuditEvent, Outcome, append
from plataforma.security.principal import Principal
from plataforma.security.services import PlatformServices
from plataforma.store.engine import begin_write
from plataforma.store.ids import uuid7
from plataforma.store.tables import agency_messages, message_recipients


@dataclass(frozen=True, slots=True)
class Draft:
    kind: MessageKind
    priority: MessagePriority
    marking: Marking
    to_kind: AddressKind
    to_value: str | None
    subject: str
    body: str


@dataclass(frozen=True, slots=True)
class MessagePage:
    items: list[Message]
    next_cursor: str | None


def _covered(principal: Principal) -> list[str]:
    return [str(m) for m in Marking if m.rank <= principal.clearance.rank]


class MessageService:
    def __init__(self, platform: PlatformServices) -> None:
        self.platform = platform
        self.settings = platform.settings

    def send(self, principal: Principal, draft: Draft) -> Message:
        """Deliver ``draft`` to every agency its address reaches; 422 naming a bad field."""
        to_value = self._address(draft)
        if not draft.subject.strip():
            raise invalid("/subject", "required")
        if not draft.body.strip():
            raise invalid("/body", "required")
        if len(draft.body) > self.settings.message_max_body_chars:
            raise invalid("/body", f"longer than {self.settings.message_max_body_chars} characters")
        decision = policy.can_send_message(
            principal, draft.marking, draft.to_kind is AddressKind.AGENCY
        )
        if not decision:
            self._refused(principal, "send", decision.reason)
            raise Forbidden(decision.reason)
        now = utc_now()
        with begin_write(self.platform.engine) as conn:
            reached = agencies_at(conn, draft.to_kind, to_value)
            if draft.to_kind is not AddressKind.AGENCY:
                reached = [code for code in reached if code != principal.agency]
            if not reached:
                raise invalid("/to_value" if to_value else "/to", "reaches no registered agency")
            if len(reached) > self.settings.message_max_recipients:
                limit = self.settings.message_max_recipients
                raise invalid("/to", f"reaches {len(reached)} agencies; at most {limit}")
            row: dict[str, Any] = {
                "id": uuid7(),
                "at": now,
                "sender_user": principal.username,
                "sender_agency": principal.agency,
                "kind": str(draft.kind),
                "priority": str(draft.priority),
                "marking": str(draft.marking),
                "to_kind": str(draft.to_kind),
                "to_value": to_value,
                "subject": draft.subject.strip(),
                "body": draft.body,
                "recipient_count": len(reached),
            }
            conn.execute(insert(agency_messages), row)
            conn.execute(
                insert(message_recipients),
                [
                    {"message_id": row["id"], "agency": code, "delivered_at": now}
                    for code in reached
                ],
            )
            fresh = deliver_in(conn, [self._notice(row, code) for code in reached])
            detail = {"message": row["id"], "step": "send", "kind": row["kind"]}
            detail |= {"priority": row["priority"], "marking": row["marking"]}
            detail |= {"to": f"{draft.to_kind}:{to_value or ''}", "recipients": len(reached)}
            append(conn, [AuditEvent.of(principal, AuditAction.MESSAGE, detail=detail)])
        announce(self.platform.bus, fresh)
        receipts = tuple(Receipt(code, now, None, None) for code in reached)
        return Message(
            id=row["id"],
            at=now,
            sender_user=principal.username,
            sender_agency=principal.agency,
            kind=draft.kind,
            priority=draft.priority,
            marking=draft.marking,
            to_kind=draft.to_kind,
            to_value=to_value,
            subject=row["subject"],
            body=draft.body,
            recipient_count=len(reached),
            receipts=receipts,
        )

    def _address(self, draft: Draft) -> str | None:
        """The address's value in its normal form: an agency code, a state code, a level."""
        value = (draft.to_value or "").strip()
        if draft.to_kind is AddressKind.ALL:
            return None
        if not value:
            raise invalid("/to_value", f"required when sending to a {draft.to_kind}")
        if draft.to_kind is AddressKind.STATE:
            try:
                return resolve_state(value).code
            except ValueError as error:
                raise invalid("/to_value", str(error)) from None
        if draft.to_kind is AddressKind.LEVEL:
            if value not in set(AgencyLevel):
                raise invalid("/to_value", "one of federal, state, municipal")
            return value
        return value.upper()

    @staticmethod
    def _notice(row: dict[str, Any], agency: str) -> Notification:
        """The desk's notification: who sent what kind, how urgent; never the text."""
        priority = MessagePriority(row["priority"])
        return Notification(
            kind=NotificationKind.MESSAGE,
            dedupe_key=f"message:{row['id']}:{agency}",
            recipient_agency=agency,
            priority=Priority.ROUTINE if priority is MessagePriority.ROUTINE else Priority.URGENT,
            ref_id=row["id"],
            summary={
                "from_agency": row["sender_agency"],
                "message_kind": row["kind"],
                "priority": row["priority"],
                "marking": row["marking"],
            },
        )

    # --- reading --------------------------------------------------------------------------

    def box(
        self, principal: Principal, box: Box, cursor: str | None = None, limit: int = 50
    ) -> MessagePage:
        """Messages to the caller's agency (``in``) or from it (``out``), newest first, only
        those within the caller's clearance."""
        after = decode_cursor(cursor)
        query: Select[Any]
        if box is Box.IN:
            query = (
                select(agency_messages, *self._receipt_columns())
                .join(message_recipients, message_recipients.c.message_id == agency_messages.c.id)
                .where(message_recipients.c.agency == principal.agency)
            )
        else:
            query = select(agency_messages).where(
                agency_messages.c.sender_agency == principal.agency
            )
        query = query.where(agency_messages.c.marking.in_(_covered(principal)))
        if after is not None:
            query = query.where(agency_messages.c.id < after)
        with self.platform.engine.connect() as conn:
            rows = conn.execute(query.order_by(agency_messages.c.id.desc()).limit(limit + 1)).all()
        items = [Message.of(r, (Receipt.of(r),) if box is Box.IN else ()) for r in rows[:limit]]
        detail = {"view": f"box_{box}", "ids": [m.id for m in items]}
        self.platform.audit.record(AuditEvent.of(principal, AuditAction.MESSAGE, detail=detail))
        more = len(rows) > limit and bool(items)
        return MessagePage(items, encode_cursor(items[-1].id) if more else None)

    @staticmethod
    def _receipt_columns() -> list[Any]:
        r = message_recipients.c
        return [r.agency, r.delivered_at, r.acked_at, r.acked_by]

    def get(self, principal: Principal, message_id: str, audited: bool = True) -> Message:
        """One message with its receipts; 404 for anyone who may not read it."""
        message, receipts = self._visible(principal, message_id, "read")
        if audited:
            detail = {"message": message_id, "step": "read"}
            self.platform.audit.record(AuditEvent.of(principal, AuditAction.MESSAGE, detail=detail))
        return Message.of(message, receipts)

    def _visible(
        self, principal: Principal, message_id: str, step: str
    ) -> tuple[Any, tuple[Receipt, ...]]:
        with self.platform.engine.connect() as conn:
            message = conn.execute(
                select(agency_messages).where(agency_messages.c.id == message_id)
            ).first()
            rows = conn.execute(
                select(*self._receipt_columns())
                .where(message_recipients.c.message_id == message_id)
                .order_by(message_recipients.c.agency)
            ).all()
        receipts = tuple(Receipt.of(r) for r in rows)
        mine = tuple(r for r in receipts if r.agency == principal.agency)
        decision = (
            policy.can_read_message(
                principal, message.sender_agency, bool(mine), Marking(message.marking)
            )
            if message is not None
            else policy.Decision(False, "no such message")
        )
        if message is None or not decision:
            self._refused(principal, step, decision.reason, message_id)
            raise NotFound(f"no message {message_id}")
        everyone = policy.can_see_all_receipts(principal, message.sender_agency)
        return message, receipts if everyone else mine

    # --- acknowledging --------------------------------------------------------------------

    def ack(self, principal: Principal, message_id: str) -> Message:
        """Acknowledge for the caller's agency; a second acknowledgement keeps the first."""
        message, receipts = self._visible(principal, message_id, "ack")
        mine = any(r.agency == principal.agency for r in receipts)
        decision = policy.can_ack_message(principal, mine, Marking(message.marking))
        if not decision:
            self._refused(principal, "ack", decision.reason, message_id)
            raise Forbidden(decision.reason)
        with begin_write(self.platform.engine) as conn:
            done = conn.execute(
                update(message_recipients)
                .where(
                    message_recipients.c.message_id == message_id,
                    message_recipients.c.agency == principal.agency,
                    message_recipients.c.acked_at.is_(None),
                )
                .values(acked_at=utc_now(), acked_by=principal.username)
            ).rowcount
            if done:
                detail = {"message": message_id, "step": "ack"}
                append(conn, [AuditEvent.of(principal, AuditAction.MESSAGE, detail=detail)])
        return self.get(principal, message_id, audited=False)

    def _refused(
        self, principal: Principal, step: str, reason: str, message_id: str | None = None
    ) -> None:
        detail = {"step": step, "reason": reason, "message": message_id}
        self.platform.audit.record(
            AuditEvent.of(principal, AuditAction.MESSAGE, Outcome.DENIED, detail=detail)
        )
