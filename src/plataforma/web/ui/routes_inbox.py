"""The inbox page: the user's and their desk's notifications, updated live.

The page lists the newest notifications (server-rendered, translated); ``static/js/inbox.js``
keeps the header's unread badge current on every page from the stream
(``/api/v1/inbox/stream``) and, on this page, asks for the new rows (``/ui/inbox/rows``) as
they arrive. Every read goes through :mod:`plataforma.inbox.reading` (policy and audit).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from plataforma.context import Platform
from plataforma.inbox import reading
from plataforma.realtime.inbox import NotificationKind, Priority
from plataforma.web.deps import RowIdPath
from plataforma.web.ui.labels import N_
from plataforma.web.ui.session import CsrfChecked, PageForbidden, UiPrincipal
from plataforma.web.ui.templating import render

router = APIRouter()

KIND_LABELS: dict[str, str] = {
    NotificationKind.DELAYED_HIT: N_("Delayed hit"),
    NotificationKind.CONFIRMATION_REQUEST: N_("Hit confirmation request"),
    NotificationKind.CONFIRMATION_ANSWER: N_("Hit confirmation answer"),
    NotificationKind.CONFIRMATION_OVERDUE: N_("Hit confirmation overdue"),
    NotificationKind.SUBSCRIPTION_MATCH: N_("Subscription match"),
    NotificationKind.DECONFLICTION: N_("Deconfliction"),
    NotificationKind.MESSAGE: N_("Agency message"),
    NotificationKind.TREND_ALARM: N_("Trend alarm"),
}
PRIORITY_LABELS: dict[str, str] = {
    Priority.ROUTINE: N_("Routine"),
    Priority.URGENT: N_("Urgent"),
}
TO_LABELS: dict[str, str] = {"user": N_("To you"), "agency": N_("To your agency's desk")}
LABELS = {"KIND": KIND_LABELS, "PRIORITY": PRIORITY_LABELS, "TO": TO_LABELS}


def _context(items: list[reading.InboxItem], **extra: Any) -> dict[str, Any]:
    return {"items": items, "labels": LABELS, **extra}


@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(
    request: Request,
    principal: UiPrincipal,
    cursor: Annotated[str | None, Query(max_length=20)] = None,
) -> HTMLResponse:
    platform: Platform = request.app.state.platform
    try:
        page = reading.list_page(platform, principal, cursor, reading.PAGE_SIZE)
    except reading.BadCursor:
        page = reading.list_page(platform, principal, None, reading.PAGE_SIZE)
    newest = max((item.id for item in page.items), default=0)
    context = _context(page.items, page=page, newest=newest, first_page=cursor is None)
    return render(request, "inbox.html", context, principal=principal)


@router.get("/inbox/rows", response_class=HTMLResponse)
def new_rows(
    request: Request,
    principal: UiPrincipal,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
) -> HTMLResponse:
    """Rows newer than ``after``, newest first (the page prepends them as they arrive)."""
    platform: Platform = request.app.state.platform
    items, _ = reading.since(platform, principal, after, reading.PAGE_SIZE)
    return render(request, "_inbox_rows.html", _context(items[::-1]), principal=principal)


@router.post(
    "/inbox/{notification_id}/read", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
def read_one(
    request: Request,
    principal: UiPrincipal,
    notification_id: RowIdPath,
) -> HTMLResponse:
    platform: Platform = request.app.state.platform
    try:
        item = reading.mark_read(platform, principal, notification_id)
    except reading.NotYours:
        raise PageForbidden(N_("This notification is not in your inbox.")) from None
    return render(request, "_inbox_rows.html", _context([item]), principal=principal)
