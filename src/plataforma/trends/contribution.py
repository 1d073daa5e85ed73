"""What one stored incident adds to the live trend counts: the keys it is counted under.

An incident counts once per SESNSP subtipo it names, at every area level (nation, state,
municipality, H3 cells at `CELL_RESOLUTIONS`) and every grain (day, Mon–Sun week, month),
on the day it occurred in the place's own time zone. The point is cleaned by
`places.clean_coordinates` first (swapped or missing coordinates repaired or replaced by the
municipality's centroid), so the cell is the one the dashboard and the hotspots use.

Only incidents the whole country may read are counted: PUBLIC or SBU, no restricted file.
A CONFIDENTIAL incident in the shared counts would tell every analyst that something
happened in that cell on that day, which its marking forbids; its owner still finds it in
its own searches. Purged incidents count for nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

import h3.api.basic_int as h3int
import numpy as np

from plataforma.model.codes import CodeError, resolve_state
from plataforma.model.envelope import Envelope, Marking, RecordStatus
from plataforma.trends.cells import cells_at
from plataforma.trends.periods import Period, index_of, period_start
from plataforma.trends.places import clean_coordinates
from plataforma.trends.series import NATION
from plataforma.trends.territory import Territory

__all__ = ["CELL_RESOLUTIONS", "GRAINS", "CountKey", "IncidentFacts", "count_keys", "facts_of"]

CELL_RESOLUTIONS = (6, 7, 8)
GRAINS = (Period.DAY, Period.WEEK, Period.MONTH)
SHARED_MARKINGS = frozenset({Marking.PUBLIC, Marking.SBU})

# (grain, crime_type, area_level, area, period_start as ISO text): JSON-friendly.
CountKey = tuple[str, str, str, str, str]


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    """What counting needs from an incident, read off its stored document."""

    day: dt.date
    crime_types: tuple[str, ...]
    state: str
    municipality: str
    latitude: float
    longitude: float


@cache
def _zone(state: str) -> ZoneInfo:
    return ZoneInfo(resolve_state(state).tz)


def _float(value: object) -> float:
    return float(value) if isinstance(value, int | float) else float("nan")


def facts_of(record: Envelope) -> IncidentFacts | None:
    """The incident's facts, or None when it is not counted in the shared trends."""
    if record.record_type != "incident" or record.status is RecordStatus.PURGED:
        return None
    if record.marking not in SHARED_MARKINGS or record.restricted_file is not None:
        return None
    data = record.data
    place = data.get("place") or {}
    state = str(place.get("state") or "")
    try:
        moment = dt.datetime.fromisoformat(str(data["occurred_at"]))
        zone = _zone(state)
    except (KeyError, ValueError, CodeError):
        return None  # the model refuses such an incident; a row from elsewhere is skipped
    local = moment.astimezone(zone) if moment.tzinfo else moment.replace(tzinfo=zone)
    return IncidentFacts(
        day=local.date(),
        crime_types=tuple(dict.fromkeys(str(c) for c in data.get("crime_types") or ())),
        state=state,
        municipality=str(place.get("municipality") or ""),
        latitude=_float(place.get("latitude")),
        longitude=_float(place.get("longitude")),
    )


def count_keys(facts: Sequence[IncidentFacts], territory: Territory) -> list[list[CountKey]]:
    """The keys each incident is counted under (cleaning all points in one vectorised call)."""
    if not facts:
        return []
    cleaned = clean_coordinates(
        np.array([f.latitude for f in facts]),
        np.array([f.longitude for f in facts]),
        np.array([f.state for f in facts], dtype=np.str_),
        np.array([f.municipality for f in facts], dtype=np.str_),
        territory,
    )
    cells = cells_at(cleaned.latitude, cleaned.longitude, CELL_RESOLUTIONS)
    out: list[list[CountKey]] = []
    for row, fact in enumerate(facts):
        areas = [("nation", NATION), ("state", fact.state)]
        if fact.municipality:
            areas.append(("municipality", fact.municipality))
        for resolution in CELL_RESOLUTIONS:
            cell = int(cells[resolution][row])
            if cell:
                areas.append((f"h3_{resolution}", h3int.int_to_str(cell)))
        starts = [
            (grain.value, period_start(index_of(fact.day, grain), grain).isoformat())
            for grain in GRAINS
        ]
        out.append(
            [
                (grain, crime, level, area, start)
                for crime in fact.crime_types
                for level, area in areas
                for grain, start in starts
            ]
        )
    return out
