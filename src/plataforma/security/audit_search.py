"""Searching the audit log as someone: authorised, complete, and itself audited.

The API, the UI and the CLI all answer "who looked at this person, and why" through here, so
the rule that only auditors and administrators search, and that every search is logged, is
written once.
"""

from __future__ import annotations

from typing import Any

from plataforma.errors import Forbidden
from plataforma.security import policy
from plataforma.security.audit import AuditAction, AuditEvent
from plataforma.security.audit_verify import AuditQuery, search_audit
from plataforma.security.principal import Principal
from plataforma.security.services import PlatformServices as Platform


def audited_search(
    platform: Platform, principal: Principal, query: AuditQuery
) -> list[dict[str, Any]]:
    """Events matching ``query``, newest first, including those still in the buffer."""
    decision = policy.can_read_audit(principal)
    if not decision:
        raise Forbidden(decision.reason)
    platform.audit.sync()
    with platform.engine.connect() as conn:
        rows = search_audit(conn, query)
    platform.audit.record(
        AuditEvent.of(
            principal,
            AuditAction.AUDIT_SEARCH,
            purpose=policy.Purpose.AUDIT,
            detail={k: str(v) for k, v in vars(query).items() if v is not None},
        )
    )
    return rows
