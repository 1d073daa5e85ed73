"""What the dashboard and `/api/v1/trends` ask of the live counts: counts by area, one series.

A crime filter names a code at any level of SESNSP's hierarchy (a subtipo, a tipo or a bien
jurídico; none for every crime) and becomes the set of subtipos it covers, so the database
sums only stored rows (`trend_counts` keeps subtipos). Areas are a level (nation, state,
municipality, an H3 resolution), optionally inside a state (its municipalities) or, for H3
cells, inside a bounding box. Every query reads `trend_counts`, which counts only incidents
every agency may read, so nothing here needs the caller's clearance: the role and purpose
are checked before (`trends/access.py`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import h3
from sqlalchemy import Connection, func, select

from plataforma.errors import FieldError, InvalidRecord
from plataforma.model.codes import CodeError, all_crime_types, resolve_crime_type
from plataforma.store.tables import trend_counts
from plataforma.trends.live_cube import AREA_LEVELS, live_cube
from plataforma.trends.periods import Period, index_of
from plataforma.trends.series import CrimeLevel, crime_codes

__all__ = ["AreaCount", "BoundingBox", "CrimeFilter", "area_counts", "series_of"]


def invalid(pointer: str, detail: str) -> InvalidRecord:
    return InvalidRecord([FieldError(pointer, detail)])


@dataclass(frozen=True)
class CrimeFilter:
    """A crime code at one level and the subtipos it covers (None: every crime)."""

    level: CrimeLevel
    code: str | None
    subtipos: tuple[str, ...] | None

    @classmethod
    def of(cls, level: CrimeLevel, value: str | None) -> CrimeFilter:
        """Resolve ``value`` at ``level``; a subtipo may be given by its Spanish label."""
        if value is None or value in ("", "*"):
            return cls(level, None, None)
        codes = crime_codes(level)
        code = value.strip()
        if level is CrimeLevel.SUBTIPO and code not in codes:
            try:
                code = resolve_crime_type(code).code
            except CodeError as error:
                raise invalid("/crime", str(error)) from None
        covered = tuple(t.code for t, c in zip(all_crime_types(), codes, strict=True) if c == code)
        if not covered:
            raise invalid("/crime", f"no {level.value} {value!r} in SESNSP's catalogue")
        return cls(level, code, covered)


@dataclass(frozen=True)
class BoundingBox:
    south: float
    west: float
    north: float
    east: float

    @classmethod
    def parse(cls, text: str) -> BoundingBox:
        """``south,west,north,east`` in degrees (Leaflet's ``toBBoxString`` is w,s,e,n: the
        order here is the one printed on the map's own links)."""
        parts = text.split(",")
        try:
            south, west, north, east = (float(p) for p in parts)
        except ValueError:
            raise invalid("/bbox", "give south,west,north,east in degrees") from None
        if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
            raise invalid("/bbox", "south < north within ±90 and west < east within ±180")
        return cls(south, west, north, east)

    def holds(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


@dataclass(frozen=True)
class AreaCount:
    area: str
    period_start: dt.date | None  # None: the total of the window
    count: int


@cache
def _cell_centre(cell: str) -> tuple[float, float]:
    lat, lon = h3.cell_to_latlng(cell)
    return float(lat), float(lon)


def _check_window(since: dt.date, until: dt.date) -> None:
    if until < since:
        raise invalid("/until", "comes before since")


def area_counts(
    conn: Connection,
    grain: Period,
    area_level: str,
    crime: CrimeFilter,
    since: dt.date,
    until: dt.date,
    *,
    state: str | None = None,
    bbox: BoundingBox | None = None,
    by_period: bool = False,
    max_areas: int = 20_000,
) -> list[AreaCount]:
    """Counts per area (and per period with ``by_period``) of periods starting in the window."""
    if area_level not in AREA_LEVELS:
        raise invalid("/area_level", f"one of {', '.join(AREA_LEVELS)}")
    if area_level.startswith("h3_") and bbox is None:
        raise invalid("/bbox", "H3 cells are asked for inside a bounding box")
    _check_window(since, until)
    c = trend_counts.c
    columns = [c.area, c.period_start] if by_period else [c.area]
    query = select(*columns, func.sum(c["count"]).label("n")).where(
        c.grain == grain.value,
        c.area_level == area_level,
        c.period_start >= since,
        c.period_start <= until,
    )
    if crime.subtipos is not None:
        query = query.where(c.crime_type.in_(crime.subtipos))
    if state is not None and area_level in ("municipality", "state"):
        query = query.where(c.area.like(f"{state}%"))
    rows = conn.execute(query.group_by(*columns).order_by(*columns)).all()
    out = [AreaCount(r.area, r.period_start if by_period else None, int(r.n)) for r in rows if r.n]
    if bbox is not None and area_level.startswith("h3_"):
        out = [a for a in out if bbox.holds(*_cell_centre(a.area))]
    if len({a.area for a in out}) > max_areas:
        raise invalid("/bbox", f"more than {max_areas} areas: zoom in or choose a coarser level")
    return out


@dataclass(frozen=True)
class Series:
    starts: list[dt.date]
    counts: list[int]


def series_of(
    conn: Connection,
    grain: Period,
    area_level: str,
    area: str,
    crime: CrimeFilter,
    since: dt.date,
    until: dt.date,
) -> Series:
    """One area × crime over consecutive periods, zeros included."""
    _check_window(since, until)
    if area_level not in AREA_LEVELS:
        raise invalid("/area_level", f"one of {', '.join(AREA_LEVELS)}")
    first, last = index_of(since, grain), index_of(until, grain)
    if last - first > 5000:
        raise invalid("/since", "more than 5000 periods: choose a coarser grain")
    cube = live_cube(
        conn,
        grain,
        (area_level,),
        first,
        last,
        crime_levels=(crime.level,),
        areas=[area],
        subtipos=list(crime.subtipos) if crime.subtipos is not None else None,
    )
    totals = cube.counts.sum(axis=0) if len(cube) else [0] * cube.periods
    if crime.code is not None and len(cube):
        totals = cube.counts[cube.find(area, crime.code)]
    return Series(cube.starts(), [int(v) for v in totals])
