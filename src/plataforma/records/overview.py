"""Small read-only views for home pages: the latest records of a type, and incident counts.

They read the newest rows only (ids are time-ordered, so "newest" is an index scan), apply
the read policy to each row's envelope columns, and audit the listing as a query like any
other: a dashboard is still somebody looking at records.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from plataforma.model.envelope import Envelope
from plataforma.records.errors import Forbidden
from plataforma.records.service import RecordService, audit_query
from plataforma.records.visibility import visible_clause
from plataforma.security import policy
from plataforma.security.principal import Principal
from plataforma.security.services import PlatformServices as Platform
from plataforma.store.reader import to_envelope
from plataforma.store.tables import records


def _newest(
    platform: Platform,
    principal: Principal,
    purpose: policy.Purpose | None,
    record_type: str,
    agency: str | None,
    limit: int,
) -> list[Envelope]:
    """The newest ``limit`` records the caller may read (filtered in SQL, so that the counts
    cover a window of visible records and say nothing about hidden ones)."""
    query = select(records).where(
        records.c.record_type == record_type,
        visible_clause(policy.visibility(principal, purpose)),
    )
    if agency:
        query = query.where(records.c.agency == agency)
    query = query.order_by(records.c.id.desc()).limit(limit)
    with platform.engine.connect() as conn:
        return [to_envelope(row) for row in conn.execute(query)]


def _checked(principal: Principal, purpose: policy.Purpose | None) -> None:
    decision = policy.can_query(principal, purpose)
    if not decision:
        raise Forbidden(decision.reason)


def recent_records(
    platform: Platform,
    principal: Principal,
    record_type: str,
    purpose: policy.Purpose | None,
    agency: str | None = None,
    limit: int = 20,
) -> list[Envelope]:
    """The newest records of a type (optionally of one agency) the caller may read."""
    _checked(principal, purpose)
    rows = _newest(platform, principal, purpose, record_type, agency, limit)
    visible = RecordService.readable(principal, rows, purpose)
    detail = {"view": "recent", "agency": agency, "ids": [r.id for r in visible]}
    audit_query(platform, principal, purpose, detail, record_type=record_type)
    return visible


@dataclass(frozen=True, slots=True)
class IncidentPoint:
    record_id: str
    folio: str
    latitude: float
    longitude: float
    crime_types: list[str]


@dataclass
class IncidentOverview:
    """Counts over the newest ``window`` incidents the caller may read."""

    window: int
    counted: int = 0
    by_crime_type: Counter[str] = field(default_factory=Counter)
    by_state: Counter[str] = field(default_factory=Counter)
    points: list[IncidentPoint] = field(default_factory=list)


def incident_overview(
    platform: Platform,
    principal: Principal,
    purpose: policy.Purpose | None,
    window: int = 5000,
    max_points: int = 500,
) -> IncidentOverview:
    """Counts by crime type and state, and the located ones among the newest, for the map."""
    _checked(principal, purpose)
    overview = IncidentOverview(window)
    newest = _newest(platform, principal, purpose, "incident", None, window)
    for record in RecordService.readable(principal, newest, purpose):
        overview.counted += 1
        crimes = [str(c) for c in record.data.get("crime_types", [])]
        overview.by_crime_type.update(crimes)
        if record.state:
            overview.by_state[record.state] += 1
        place = record.data.get("place") or {}
        lat, lon = place.get("latitude"), place.get("longitude")
        if len(overview.points) < max_points and lat is not None and lon is not None:
            folio = str(record.data.get("folio", record.source_ref))
            overview.points.append(IncidentPoint(record.id, folio, lat, lon, crimes))
    detail = {"view": "incident_overview", "counted": overview.counted}
    audit_query(platform, principal, purpose, detail, record_type="incident")
    return overview
