"""The agency directory as the policy sees it: level and territory by agency code.

Agencies are ordinary records (type ``agency``, ``source_ref`` = code), so they are imported,
versioned and audited like everything else; this module only caches what the policy needs.
Whatever cannot be known is given the least reach: an agency that is not registered, or whose
level is not one the policy knows, acts as municipal (its own records only above SBU), never
as federal.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from plataforma.model.records.agency import AgencyLevel
from plataforma.store.tables import records

LEAST_REACH = AgencyLevel.MUNICIPAL
log = logging.getLogger(__name__)

_TTL_SECONDS = 60.0
_cache: dict[str, tuple[float, AgencyFacts | None]] = {}


@dataclass(frozen=True, slots=True)
class AgencyFacts:
    code: str
    name: str
    level: AgencyLevel
    kind: str
    state: str | None


def cached_agency_facts(code: str) -> tuple[bool, AgencyFacts | None]:
    """Whether agency ``code`` is in the cache, and its entry (None: not registered)."""
    hit = _cache.get(code)
    if hit and time.monotonic() - hit[0] < _TTL_SECONDS:
        return True, hit[1]
    return False, None


def agency_facts(conn: Connection, code: str) -> AgencyFacts | None:
    """The directory entry of agency ``code``, or None when the agency is not registered.

    Only entries are cached, never an absence: an agency registered through another worker
    process is known everywhere at once (its users can sign in, records can name it as their
    owner), instead of being refused for up to the cache's lifetime. A changed entry (its
    level or state) still reaches other processes only when their cached copy expires.
    """
    cached, hit = cached_agency_facts(code)
    if cached and hit is not None:
        return hit
    now = time.monotonic()
    row = conn.execute(
        select(records.c.data)
        .where(records.c.record_type == "agency", records.c.source_ref == code)
        .limit(1)
    ).first()
    if row is None:
        return None
    data = row.data
    facts = AgencyFacts(code, data["name"], _level(code, data), data["kind"], data.get("state"))
    _cache[code] = (now, facts)
    return facts


def _level(code: str, data: dict[str, Any]) -> AgencyLevel:
    try:
        return AgencyLevel(str(data.get("level")))
    except ValueError:
        log.warning(
            "agency %s has unknown level %r: treated as %s", code, data.get("level"), LEAST_REACH
        )
        return LEAST_REACH


def level_of(facts: AgencyFacts | None) -> AgencyLevel:
    """The policy's level for an agency; an unregistered one gets the least reach."""
    return facts.level if facts is not None else LEAST_REACH


def forget_agencies() -> None:
    _cache.clear()


def registered_codes(conn: Connection) -> frozenset[str]:
    """Every registered agency code: what a bulk import checks each row's owner against.

    Read once per import (a directory holds thousands of agencies at most), so worker
    processes, which have no database, can check owners without asking for each row.
    """
    rows = conn.execute(select(records.c.source_ref).where(records.c.record_type == "agency"))
    return frozenset(row.source_ref for row in rows)


def unknown_owner(conn: Connection, record_type: str, owner: str, source_ref: str) -> bool:
    """Whether a record owned by ``owner`` would belong to no registered agency.

    An agency's own directory record is the exception: registering it is what makes the
    code known, so an ``agency`` record owned by its own code is never an unknown owner.
    """
    if record_type == "agency" and owner == source_ref:
        return False
    return agency_facts(conn, owner) is None
