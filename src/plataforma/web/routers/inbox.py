"""``/api/v1/inbox``: the caller's notifications (their own and their agency's desk's).

``GET /inbox`` lists them newest first with a cursor, ``POST /inbox/{id}/read`` marks one
read, ``GET /inbox/stream`` pushes new ones as Server-Sent Events. Every read is audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from pydantic import BaseModel, Field
from sse_starlette import EventSourceResponse

from plataforma.errors import FieldError, InvalidRecord, NotFound
from plataforma.inbox import reading, stream
from plataforma.web.deps import CurrentPrincipal, PlatformDep, RowIdPath

router = APIRouter(prefix="/inbox", tags=["inbox"])

#: A client that has not taken an event for this long is dropped (it reconnects and resumes
#: with Last-Event-ID): a stalled reader must not hold server resources forever.
SEND_TIMEOUT = 10.0


class NotificationOut(BaseModel):
    id: int
    kind: str = Field(description="delayed_hit, confirmation_request, subscription_match, ...")
    priority: str = Field(description="routine or urgent")
    to: str = Field(description="``user`` (to you) or ``agency`` (to your agency's desk)")
    record_id: str | None = Field(description="The record it is about, if you may see it")
    record_type: str | None
    ref_id: str | None = Field(description="The inquiry, confirmation or message it is about")
    summary: dict[str, Any] = Field(description="Facts safe to show before opening the record")
    created_at: datetime
    read_at: datetime | None
    withheld: bool = Field(
        description="True when the record it names is hidden from you: reference left out"
    )


class InboxReply(BaseModel):
    items: list[NotificationOut]
    next_cursor: str | None = Field(description="Pass as ``cursor`` for older notifications")
    unread: int = Field(description="Your unread notifications (the whole inbox)")


@router.get("", response_model=InboxReply)
def list_inbox(
    principal: CurrentPrincipal,
    platform: PlatformDep,
    cursor: Annotated[
        str | None, Query(max_length=20, description="``next_cursor`` of the previous page")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=reading.MAX_PAGE_SIZE)] = reading.PAGE_SIZE,
    unread: Annotated[bool, Query(description="Only unread notifications")] = False,
) -> InboxReply:
    """Your notifications and your agency desk's, newest first; audited.

    A notification about a record you may not read is listed without its reference
    (``withheld``). A hit it announces is a lead to confirm with the owning agency, not proof.
    """
    try:
        page = reading.list_page(platform, principal, cursor, limit, unread)
    except reading.BadCursor:
        raise InvalidRecord([FieldError("/cursor", "not a cursor of this listing")]) from None
    return InboxReply(
        items=[NotificationOut(**item.as_json()) for item in page.items],
        next_cursor=page.next_cursor,
        unread=page.unread,
    )


@router.post("/{notification_id}/read", response_model=NotificationOut)
def mark_read(
    notification_id: RowIdPath,
    principal: CurrentPrincipal,
    platform: PlatformDep,
) -> NotificationOut:
    """Mark one of your notifications read (again is a no-op); 404 if it is not yours."""
    try:
        item = reading.mark_read(platform, principal, notification_id)
    except reading.NotYours:
        raise NotFound(f"no notification {notification_id} in your inbox") from None
    return NotificationOut(**item.as_json())


@router.get("/stream", response_class=EventSourceResponse)
async def inbox_stream(
    principal: CurrentPrincipal,
    platform: PlatformDep,
    last_event_id: Annotated[str | None, Header(max_length=40)] = None,
) -> EventSourceResponse:
    """Server-Sent Events: ``unread`` (the count) at once, then ``notification`` (its id is
    the event id; data as in the listing) and ``unread`` as they arrive. Reconnect with
    ``Last-Event-ID`` to resume; on ``resync`` reload the listing (you fell far behind)."""
    return EventSourceResponse(
        stream.events(platform, principal, stream.parse_last_event_id(last_event_id)),
        ping=15,
        send_timeout=SEND_TIMEOUT,
    )
