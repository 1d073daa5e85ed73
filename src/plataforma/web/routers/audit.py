"""``/api/v1/audit``: auditors search who did what, to which record, and why."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import AfterValidator, BaseModel

from plataforma.model.records.fields import in_date_range
from plataforma.records.errors import Forbidden
from plataforma.security import policy
from plataforma.security.audit import AuditAction
from plataforma.security.audit_search import audited_search
from plataforma.security.audit_verify import AuditQuery, verify_chain
from plataforma.web.deps import CurrentPrincipal, PlatformDep

router = APIRouter(prefix="/audit", tags=["audit"])

# Bounded like every date of the platform (1900-2200): year 1 or 9999 would overflow the
# conversions to UTC and to the database's timestamps instead of answering 422.
AuditTime = Annotated[datetime, AfterValidator(in_date_range)]


class AuditEntry(BaseModel):
    id: int
    chain_seq: int | None
    at: datetime
    actor: str
    agency: str
    action: str
    outcome: str
    record_type: str | None
    record_id: str | None
    purpose: str | None
    source_ip: str | None
    detail: dict[str, Any]


@router.get("/events", response_model=list[AuditEntry])
def search_events(
    principal: CurrentPrincipal,
    platform: PlatformDep,
    actor: Annotated[str | None, Query(max_length=64)] = None,
    agency: Annotated[str | None, Query(max_length=32)] = None,
    record_id: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[AuditAction | None, Query()] = None,
    since: Annotated[AuditTime | None, Query()] = None,
    until: Annotated[AuditTime | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditEntry]:
    """Events newest first. Searching the log is itself audited."""
    query = AuditQuery(actor, agency, record_id, action, since, until, limit)
    rows = audited_search(platform, principal, query)
    return [AuditEntry(**row) for row in rows]


class VerifyReply(BaseModel):
    ok: bool
    checked: int
    unchained: int
    problems: list[str]


@router.get("/verify", response_model=VerifyReply)
def verify(principal: CurrentPrincipal, platform: PlatformDep) -> VerifyReply:
    """Recompute the chain and compare it with the checkpoint kept outside the database."""
    decision = policy.can_read_audit(principal)
    if not decision:
        raise Forbidden(decision.reason)
    platform.audit.sync()
    with platform.engine.connect() as conn:
        report = verify_chain(conn, platform.settings.checkpoint_path)
    return VerifyReply(
        ok=report.ok, checked=report.checked, unchained=report.unchained, problems=report.problems
    )
