"""The home page: one panel per role the user holds, each with what that role does first."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from plataforma.administration import Administration
from plataforma.context import Platform
from plataforma.model.codes import all_states
from plataforma.records.overview import incident_overview, recent_records
from plataforma.security.audit_search import audited_search
from plataforma.security.audit_verify import AuditQuery
from plataforma.security.policy import Purpose
from plataforma.security.principal import Principal, Role
from plataforma.web.ui.inquiry_labels import INQUIRY_KIND_LABELS
from plataforma.web.ui.session import UiPrincipal
from plataforma.web.ui.templating import render

router = APIRouter()

CHECKERS = (Role.OFFICER, Role.SUPERVISOR, Role.SCREENING_OFFICER)
ANALYSTS = (Role.ANALYST, Role.INTELLIGENCE_ANALYST)


def default_purpose(principal: Principal) -> Purpose:
    """The purpose a role most often declares; the user can still choose another."""
    for role, purpose in (
        (Role.OFFICER, Purpose.PATROL),
        (Role.PROSECUTOR, Purpose.PROSECUTION),
        (Role.INTELLIGENCE_ANALYST, Purpose.INTELLIGENCE),
        (Role.ANALYST, Purpose.ANALYSIS),
        (Role.SCREENING_OFFICER, Purpose.SCREENING),
        (Role.RECORDS_CLERK, Purpose.DATA_QUALITY),
        (Role.ADMINISTRATOR, Purpose.ADMINISTRATION),
        (Role.AUDITOR, Purpose.AUDIT),
    ):
        if principal.has(role):
            return purpose
    return Purpose.INVESTIGATION


@router.get("/", response_class=HTMLResponse)
def home(request: Request, principal: UiPrincipal) -> HTMLResponse:
    platform: Platform = request.app.state.platform
    panels: dict[str, Any] = {}
    if principal.has(*CHECKERS):
        panels["check"] = {"form": {"kind": "person"}, "kinds": ["person", "vehicle", "firearm"]}
    if principal.has(Role.RECORDS_CLERK):
        panels["clerk"] = recent_records(
            platform, principal, "incident", Purpose.DATA_QUALITY, agency=principal.agency
        )
    if principal.has(*ANALYSTS):
        panels["analyst"] = _analyst_panel(platform, principal)
    if principal.has(Role.PROSECUTOR):
        panels["prosecutor"] = recent_records(
            platform, principal, "warrant", Purpose.PROSECUTION, agency=principal.agency
        )
    if principal.has(Role.AUDITOR, Role.ADMINISTRATOR):
        panels["auditor"] = audited_search(platform, principal, AuditQuery(limit=10))
    if principal.has(Role.ADMINISTRATOR):
        panels["admin"] = _admin_panel(platform, principal)
    context = {
        "panels": panels,
        "purpose": default_purpose(principal),
        "INQUIRY_KIND_LABELS": INQUIRY_KIND_LABELS,
    }
    return render(request, "home.html", context, principal=principal)


def _analyst_panel(platform: Platform, principal: Principal) -> dict[str, Any]:
    purpose = Purpose.INTELLIGENCE if principal.has(Role.INTELLIGENCE_ANALYST) else Purpose.ANALYSIS
    overview = incident_overview(platform, principal, purpose)
    points = [
        {"id": p.record_id, "folio": p.folio, "lat": p.latitude, "lon": p.longitude}
        for p in overview.points
    ]
    states = [{"name": s.name, "lat": s.lat, "lon": s.lon} for s in all_states()]
    return {
        "overview": overview,
        "purpose": purpose,
        "map_data": json.dumps({"points": points, "states": states, "purpose": purpose}),
    }


def _admin_panel(platform: Platform, principal: Principal) -> dict[str, Any]:
    """Users and agencies as the API and the CLI list them: checked and audited."""
    admin = Administration(platform, principal)
    return {"users": admin.list_users(), "agencies": admin.list_agencies()}
