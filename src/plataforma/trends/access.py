"""Who may look at the trends, decided by the policy and recorded in the audit log.

Every dashboard page and `/api/v1/trends` call passes here first: `policy.can_view_trends`
decides (the trend roles, a declared purpose) and one QUERY event records who looked at
what (the view and its filters), refusals included, before anything is answered.
"""

from __future__ import annotations

from typing import Any

from plataforma.errors import Forbidden
from plataforma.security import policy
from plataforma.security.audit import AuditAction, AuditEvent, Outcome
from plataforma.security.principal import Principal
from plataforma.security.services import PlatformServices

__all__ = ["TRENDS_RECORD_TYPE", "authorise_trends"]

#: What the audit log names the object of a trends query (aggregates, not a record type).
TRENDS_RECORD_TYPE = "trends"


def authorise_trends(
    platform: PlatformServices,
    principal: Principal,
    purpose: policy.Purpose | None,
    view: str,
    filters: dict[str, Any],
) -> policy.Purpose:
    """The purpose the view runs under; :class:`Forbidden` (audited) when refused."""
    decision = policy.can_view_trends(principal, purpose)
    detail = {"view": view, "filters": {k: v for k, v in filters.items() if v is not None}}
    if not decision or purpose is None:
        event = AuditEvent.of(
            principal,
            AuditAction.QUERY,
            Outcome.DENIED,
            record_type=TRENDS_RECORD_TYPE,
            purpose=purpose,
            detail={**detail, "reason": decision.reason},
        )
        platform.audit.record(event)
        raise Forbidden(decision.reason)
    event = AuditEvent.of(
        principal,
        AuditAction.QUERY,
        record_type=TRENDS_RECORD_TYPE,
        purpose=purpose,
        detail=detail,
    )
    platform.audit.record(event)
    return purpose
