"""The audit viewer: auditors and administrators see who did what, to which record, and why."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from plataforma.context import Platform
from plataforma.security.audit import AuditAction
from plataforma.security.audit_search import audited_search
from plataforma.security.audit_verify import AuditQuery, verify_chain
from plataforma.security.principal import Role
from plataforma.web.ui.session import UiPrincipal, require_role
from plataforma.web.ui.templating import render

router = APIRouter()

AUDITORS = (Role.AUDITOR, Role.ADMINISTRATOR)


def _day_start(value: date | None, days_after: int = 0) -> datetime | None:
    if value is None:
        return None
    return datetime.combine(value + timedelta(days=days_after), time.min).astimezone()


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value else None


def _day(value: str | None) -> date | None:
    """A ``YYYY-MM-DD`` filter; anything else means no filter (the form sends only dates)."""
    try:
        return date.fromisoformat(value.strip()) if value else None
    except ValueError:
        return None


@router.get("/audit", response_class=HTMLResponse)
def audit_viewer(
    request: Request,
    principal: UiPrincipal,
    actor: Annotated[str | None, Query(max_length=64)] = None,
    record_id: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[str | None, Query(max_length=32)] = None,
    since: Annotated[str | None, Query(max_length=10)] = None,
    until: Annotated[str | None, Query(max_length=10)] = None,
) -> HTMLResponse:
    """Filters by actor, record, action and days (``until`` includes its whole day)."""
    require_role(principal, *AUDITORS)
    chosen = action if action in set(AuditAction) else None
    first, last = _day(since), _day(until)
    query = AuditQuery(
        actor=_blank(actor),
        record_id=_blank(record_id),
        action=chosen,
        since=_day_start(first),
        until=_day_start(last, 1),
        limit=200,
    )
    events = audited_search(request.app.state.platform, principal, query)
    filters = {"actor": actor or "", "record_id": record_id or "", "action": chosen or ""}
    filters |= {"since": since or "", "until": until or ""}
    context = {"events": events, "filters": filters, "actions": list(AuditAction)}
    return render(request, "audit.html", context, principal=principal)


@router.get("/audit/verify", response_class=HTMLResponse)
def audit_verify(request: Request, principal: UiPrincipal) -> HTMLResponse:
    """Recompute the hash chain and compare it with the checkpoint outside the database."""
    require_role(principal, *AUDITORS)
    platform: Platform = request.app.state.platform
    platform.audit.sync()
    with platform.engine.connect() as conn:
        report = verify_chain(conn, platform.settings.checkpoint_path)
    return render(request, "_audit_verify.html", {"report": report}, principal=principal)
