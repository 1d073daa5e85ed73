"""``/api/v1/messages``: agency-to-agency messages with delivery receipts and acknowledgements.

A thin layer over :class:`MessageService`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query
from pydantic import BaseModel, Field

from plataforma.exchange.agency_desks import AddressKind
from plataforma.exchange.boxes import PAGE_SIZE, Box
from plataforma.exchange.message_model import Message, MessageKind, MessagePriority
from plataforma.exchange.messages import Draft, MessageService
from plataforma.model.envelope import Marking
from plataforma.web.deps import CurrentPrincipal, PlatformDep
from plataforma.web.routers.confirmations import CursorParam, FromService, LimitParam

router = APIRouter(prefix="/messages", tags=["messages"])

MessageId = Annotated[str, Path(min_length=1, max_length=36)]


class MessageRequest(BaseModel):
    kind: MessageKind
    priority: MessagePriority = MessagePriority.ROUTINE
    marking: Marking = Marking.SBU
    to: AddressKind = Field(description="``agency``, ``state``, ``level`` or ``all``")
    to_value: str | None = Field(
        default=None,
        max_length=40,
        description="The agency code, the state (code or name) or the level; none for ``all``",
    )
    subject: str = Field(min_length=1, max_length=200)
    # The settings' bound (message_max_body_chars) is checked by the service; this one only
    # keeps an absurd body from being parsed at all.
    body: str = Field(min_length=1, max_length=100_000)


class ReceiptOut(FromService):
    agency: str
    delivered_at: datetime | None = Field(description="When it reached the agency's desk")
    acked_at: datetime | None
    acked_by: str | None


class MessageOut(FromService):
    id: str
    at: datetime
    sender_user: str
    sender_agency: str
    kind: MessageKind
    priority: MessagePriority
    marking: Marking
    to: AddressKind = Field(validation_alias="to_kind")
    to_value: str | None
    subject: str
    body: str
    recipient_count: int
    receipts: list[ReceiptOut] = Field(
        description="Every recipient's for the sender's agency; your own agency's otherwise"
    )

    @classmethod
    def of(cls, item: Message) -> MessageOut:
        return cls.model_validate(item)


class MessagePageOut(BaseModel):
    items: list[MessageOut]
    next_cursor: str | None = Field(description="Pass as ``cursor`` for the next page")


@router.post("", status_code=201, response_model=MessageOut)
def send_message(
    principal: CurrentPrincipal, platform: PlatformDep, body: Annotated[MessageRequest, Body()]
) -> MessageOut:
    """Send a BOLO, a request for information or free text to one agency, a state's
    agencies, a level of government or every agency; each recipient's desk is notified in
    the same transaction (the delivery receipt). A marking above SBU goes to one named agency
    only, and never above your clearance (403). An address that reaches no agency, or too
    many, or a body over the limit, is a 422 naming the field. Audited."""
    draft = Draft(
        kind=body.kind,
        priority=body.priority,
        marking=body.marking,
        to_kind=body.to,
        to_value=body.to_value,
        subject=body.subject,
        body=body.body,
    )
    return MessageOut.of(MessageService(platform).send(principal, draft))


@router.get("", response_model=MessagePageOut)
def list_messages(
    principal: CurrentPrincipal,
    platform: PlatformDep,
    box: Annotated[Box, Query(description="``in``: to your agency; ``out``: sent by it")],
    cursor: CursorParam = None,
    limit: LimitParam = PAGE_SIZE,
) -> MessagePageOut:
    """Your agency's messages within your clearance, newest first. Audited."""
    page = MessageService(platform).box(principal, box, cursor, limit)
    return MessagePageOut(
        items=[MessageOut.of(m) for m in page.items], next_cursor=page.next_cursor
    )


@router.get("/{message_id}", response_model=MessageOut)
def get_message(
    principal: CurrentPrincipal, platform: PlatformDep, message_id: MessageId
) -> MessageOut:
    """One message with its receipts; 404 for anyone who may not read it. Audited."""
    return MessageOut.of(MessageService(platform).get(principal, message_id))


@router.post("/{message_id}/ack", response_model=MessageOut)
def ack_message(
    principal: CurrentPrincipal, platform: PlatformDep, message_id: MessageId
) -> MessageOut:
    """Acknowledge a message for your agency (a recipient's user within the marking); the
    first acknowledgement is kept. Audited."""
    return MessageOut.of(MessageService(platform).ack(principal, message_id))
