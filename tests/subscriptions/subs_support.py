"""Helpers for the subscriptions tests: write records for real, read their outbox events,
run a consumer on them twice (at-least-once delivery), and read the inbox."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import func, insert, select

from conftest import add_agency, add_user
from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.realtime.events import RecordEvent
from plataforma.records.service import RecordService
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.store.tables import audit_log, inquiries, inquiry_keys, notifications, outbox
from plataforma.store.writer import WriteResult
from plataforma.subscriptions.service import SubscriptionService
from plataforma.subscriptions.targets import Target

ADAPTER: TypeAdapter[Target] = TypeAdapter(Target)
MARKINGS = ("PUBLIC", "SBU", "CONFIDENTIAL", "SECRET")
FILES: tuple[str | None, ...] = (None, "juvenile")
#: users: (agency, roles, clearance, restricted files)
USERS: dict[str, tuple[str, list[str], Marking, tuple[str, ...]]] = {
    "gdl_sbu": ("POL-GDL", ["officer"], Marking.SBU, ()),
    "gdl_conf": ("POL-GDL", ["officer", "supervisor"], Marking.CONFIDENTIAL, ()),
    "gdl_juv": ("POL-GDL", ["records_clerk"], Marking.SECRET, ("juvenile",)),
    "zap_secret": ("POL-ZAP", ["analyst"], Marking.SECRET, ()),
    "jal_conf": ("FGE-JAL", ["prosecutor"], Marking.CONFIDENTIAL, ()),
    "fed": ("SSPC", ["analyst", "supervisor"], Marking.SECRET, ()),
}


def two_agencies(platform: Platform) -> Platform:
    """Two municipal police of Jalisco, its state prosecutor, a federal agency, and users."""
    add_agency(platform, "SSPC", "federal", "police")
    add_agency(platform, "FGE-JAL", "state", "prosecutor", "14")
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    add_agency(platform, "POL-ZAP", "municipal", "police", "14")
    for name, (agency, roles, clearance, files) in USERS.items():
        add_user(platform, name, agency, roles, clearance, files)
    return platform


def last_outbox_id(platform: Platform) -> int:
    with platform.engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(outbox.c.id), 0))).scalar_one())


def events_after(platform: Platform, after: int) -> list[RecordEvent]:
    with platform.engine.connect() as conn:
        rows = conn.execute(select(outbox).where(outbox.c.id > after).order_by(outbox.c.id))
        return [RecordEvent.from_row(row._mapping) for row in rows]


def write(
    platform: Platform, record_type: str, payload: dict[str, Any]
) -> tuple[WriteResult, list[RecordEvent]]:
    """Store ``payload`` as the local administrator; the result and the events it made."""
    before = last_outbox_id(platform)
    result = RecordService(platform).submit(LOCAL_ADMIN, record_type, payload)
    return result, events_after(platform, before)


def run_twice(handler: Callable[[RecordEvent], None], events: list[RecordEvent]) -> None:
    """Deliver every event twice, as an at-least-once bus may after a crash."""
    for _ in range(2):
        for event in events:
            handler(event)


def inbox(platform: Platform, kind: str | None = None) -> list[Any]:
    query = select(notifications).order_by(notifications.c.id)
    if kind is not None:
        query = query.where(notifications.c.kind == kind)
    with platform.engine.connect() as conn:
        return list(conn.execute(query))


def recipients(rows: list[Any]) -> set[str]:
    return {r.recipient_user or f"desk:{r.recipient_agency}" for r in rows}


def audit_actions(platform: Platform, action: str) -> list[Any]:
    platform.audit.flush()
    with platform.engine.connect() as conn:
        return list(conn.execute(select(audit_log).where(audit_log.c.action == action)))


def subscribe(platform: Platform, principal: Any, **body: Any) -> Any:
    body.setdefault("purpose", "investigation")
    return SubscriptionService(platform).create(principal, ADAPTER.validate_python(body))


def log_inquiry(
    platform: Platform,
    inquiry_id: str,
    actor: str,
    agency: str,
    keys: list[tuple[str, str]],
    at: datetime | None = None,
    purpose: str = "patrol",
    hits: list[str] | None = None,
) -> None:
    """An inquiry as the inquiry service logs it (rows inserted directly)."""
    at = at or datetime.now(UTC)
    with platform.engine.begin() as conn:
        conn.execute(
            insert(inquiries),
            {
                "id": inquiry_id,
                "at": at,
                "actor": actor,
                "agency": agency,
                "purpose": purpose,
                "kind": "vehicle",
                "query": {},
                "hits": hits or [],
            },
        )
        rows = [{"kind": k, "value": v, "inquiry_id": inquiry_id, "at": at} for k, v in keys]
        conn.execute(insert(inquiry_keys), rows)
