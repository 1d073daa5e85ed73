"""Agencies as correspondents: their 24/7 contact points, who is reached by an address, and
who supervises a desk.

Agencies are records (type ``agency``); the policy's directory (``security.agencies``) caches
only what decisions need, so the contact point and the address lookups read the records here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, select

from plataforma.model.envelope import RecordStatus
from plataforma.security.principal import Role
from plataforma.store.tables import records, users


@dataclass(frozen=True, slots=True)
class ContactPoint:
    """The desk that answers around the clock; all None when the agency recorded none."""

    agency: str
    name: str | None
    desk: str | None
    phone: str | None
    email: str | None
    radio: str | None

    @property
    def recorded(self) -> bool:
        return bool(self.desk and self.phone)


def contact_of(conn: Connection, code: str) -> ContactPoint:
    """Agency ``code``'s 24/7 contact point (empty when not registered or not recorded)."""
    row = conn.execute(
        select(records.c.data)
        .where(records.c.record_type == "agency", records.c.source_ref == code)
        .limit(1)
    ).first()
    data = row.data if row is not None else {}
    return ContactPoint(
        agency=code,
        name=data.get("name"),
        desk=data.get("contact_desk"),
        phone=data.get("contact_phone"),
        email=data.get("contact_email"),
        radio=data.get("contact_radio"),
    )


class AddressKind(StrEnum):
    """Whom a message goes to: one agency, a state's agencies, a level, or everyone."""

    AGENCY = "agency"
    STATE = "state"
    LEVEL = "level"
    ALL = "all"


def agencies_at(conn: Connection, kind: AddressKind, value: str | None) -> list[str]:
    """The codes of the active registered agencies an address reaches, sorted.

    A state's agencies are those whose directory entry names the state (state and municipal
    ones; federal agencies have no state and are addressed by level or by name).
    """
    query = select(records.c.source_ref, records.c.data).where(
        records.c.record_type == "agency", records.c.status == str(RecordStatus.ACTIVE)
    )
    if kind is AddressKind.AGENCY:
        query = query.where(records.c.source_ref == value)
    found = []
    for row in conn.execute(query):
        data = row.data
        if kind is AddressKind.STATE and data.get("state") != value:
            continue
        if kind is AddressKind.LEVEL and data.get("level") != value:
            continue
        found.append(str(row.source_ref))
    return sorted(found)


def supervisors_of(conn: Connection, agency: str) -> list[str]:
    """Active users of ``agency`` holding the supervisor role: whom an overdue answer reaches."""
    rows = conn.execute(
        select(users.c.username, users.c.roles).where(
            users.c.agency == agency, users.c.active.is_(True)
        )
    )
    return sorted(r.username for r in rows if str(Role.SUPERVISOR) in (r.roles or []))
