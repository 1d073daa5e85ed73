"""Helpers for the confirmation and message tests: hit records, logged inquiries, principals.

The inquiry service lands in parallel; these tests write ``inquiries`` rows directly, in the
shape the contract fixes (``hits`` is a list of objects carrying ``record_id``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select

from conftest import add_agency, add_user
from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.records.service import RecordService
from plataforma.security.agencies import agency_facts
from plataforma.security.identity import get_user
from plataforma.security.principal import LOCAL_ADMIN, Principal, Role
from plataforma.store.ids import uuid7
from plataforma.store.tables import audit_log, inquiries, notifications

MARKINGS = tuple(Marking)


def hit_record(platform: Platform, owner: str, source_ref: str, marking: Marking) -> str:
    """An incident owned by ``owner`` (the tests only need a record id and its owner)."""
    body: dict[str, Any] = {
        "source_ref": source_ref,
        "agency": owner,
        "marking": str(marking),
        "folio": f"F-{source_ref}",
        "occurred_at": "2024-03-01T10:00:00",
        "place": {"state": "14"},
        "crime_types": ["robo_a_negocio"],
        "narrative": f"hechos de {source_ref}",
    }
    return RecordService(platform).submit(LOCAL_ADMIN, "incident", body).id


def add_inquiry(platform: Platform, agency: str, actor: str, hits: list[str]) -> str:
    inquiry_id = uuid7()
    with platform.engine.begin() as conn:
        conn.execute(
            insert(inquiries),
            {
                "id": inquiry_id,
                "at": datetime.now(UTC),
                "actor": actor,
                "agency": agency,
                "purpose": "patrol",
                "kind": "person",
                "query": {"curp": "X"},
                "hits": [{"record_id": r, "record_type": "incident"} for r in hits],
            },
        )
    return inquiry_id


def principal(platform: Platform, username: str) -> Principal:
    """The principal a login of ``username`` would get (roles, clearance, agency facts)."""
    with platform.engine.connect() as conn:
        user = get_user(conn, username)
        assert user is not None
        facts = agency_facts(conn, user.agency)
    return Principal(
        username=user.username,
        agency=user.agency,
        roles=frozenset(Role(r) for r in user.roles),
        clearance=user.clearance,
        agency_level=facts.level if facts else "municipal",
        agency_state=facts.state if facts else None,
        restricted_access=frozenset(user.restricted_access),
    )


def exchange_world(platform: Platform) -> Platform:
    """``world`` plus a third agency (POL-ZAP) and a supervisor at the prosecutor's office."""
    add_agency(platform, "POL-ZAP", "municipal", "police", "14")
    add_user(platform, "zapopan", "POL-ZAP", ["officer"], Marking.SECRET)
    add_user(platform, "jefe", "FGE-JAL", ["supervisor"], Marking.SECRET)
    add_user(platform, "secreto", "POL-GDL", ["officer"], Marking.SECRET)
    return platform


def notes(platform: Platform, **where: str) -> list[Any]:
    """Notifications as stored (the inbox's read side is another package's)."""
    query = select(notifications).order_by(notifications.c.id)
    for column, value in where.items():
        query = query.where(notifications.c[column] == value)
    with platform.engine.connect() as conn:
        return list(conn.execute(query))


def audit_rows(platform: Platform, action: str) -> list[Any]:
    platform.audit.flush()
    with platform.engine.connect() as conn:
        query = select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.id)
        return list(conn.execute(query))
