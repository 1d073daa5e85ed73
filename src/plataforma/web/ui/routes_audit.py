"""The audit viewer: auditors and administrators see who did what, to which record, and why."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from plataforma.context import Platform
from plataforma.model.records.fields import YEAR_OUT_OF_RANGE, in_date_range
from plataforma.security.audit import AuditAction
from plataforma.security.audit_search import audited_search
from plataforma.security.audit_verify import AuditQuery, verify_chain
from plataforma.security.principal import Role
from plataforma.web.ui.session import UiPrincipal, require_role
from plataforma.web.ui.templating import gettext, render

router = APIRouter()

AUDITORS = (Role.AUDITOR, Role.ADMINISTRATOR)


def _day_start(value: date | None, days_after: int = 0) -> datetime | None:
    if value is None:
        return None
    return datetime.combine(value + timedelta(days=days_after), time.min).astimezone()


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value else None


NOT_A_DAY = "not a date (YYYY-MM-DD)"
DAY_OUT_OF_RANGE = YEAR_OUT_OF_RANGE


class _BadDay(ValueError):
    def __init__(self, name: str, reason: str) -> None:
        super().__init__(reason)
        self.name, self.reason = name, reason


def _day(name: str, value: str | None) -> date | None:
    """A ``YYYY-MM-DD`` filter, within the platform's years (1900-2200): a filter the server
    cannot apply is an error shown to the auditor, never silently dropped."""
    if not value or not value.strip():
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise _BadDay(name, NOT_A_DAY) from None
    try:
        return in_date_range(day)
    except ValueError:
        raise _BadDay(name, DAY_OUT_OF_RANGE) from None


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
    filters = {"actor": actor or "", "record_id": record_id or "", "action": chosen or ""}
    filters |= {"since": since or "", "until": until or ""}
    context: dict[str, Any] = {"filters": filters, "actions": list(AuditAction)}
    try:
        first, last = _day("since", since), _day("until", until)
    except _BadDay as error:
        label = gettext(request, "From") if error.name == "since" else gettext(request, "To")
        context |= {"events": [], "filter_error": f"{label}: {gettext(request, error.reason)}"}
        return render(request, "audit.html", context, principal=principal, status_code=422)
    query = AuditQuery(
        actor=_blank(actor),
        record_id=_blank(record_id),
        action=chosen,
        since=_day_start(first),
        until=_day_start(last, 1),
        limit=200,
    )
    context["events"] = audited_search(request.app.state.platform, principal, query)
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
