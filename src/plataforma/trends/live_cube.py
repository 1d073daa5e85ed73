"""Series from the live counts: the `SeriesCube` the alarms, CompStat and the dashboard read.

The trends consumer keeps ``trend_counts`` per SESNSP subtipo (`aggregator.py`); everything
that reads series takes a `SeriesCube`, the shape the file mode builds from incidents. This
module reads a window of the live counts (one grain, some area levels, periods `first` ..
`last` as period numbers) and hands the rows to `series.count_long` with their counts as
weights, so the tipo and bien jurídico levels are the sums of their subtipos through the
same code table as in file mode, and the live cube equals the file cube of the same incidents
(tests/trends/test_live_cube.py checks it).

A subtipo the code table does not know (a deployment that changed its catalogue after the
counts were kept) is left out and counted in `LiveCounts.unknown`, never guessed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, select

from plataforma.model.codes import all_crime_types
from plataforma.store.tables import trend_counts
from plataforma.trends.periods import Period, period_index, period_start
from plataforma.trends.series import CrimeLevel, SeriesCube, count_long

__all__ = ["AREA_LEVELS", "LiveCounts", "live_cube", "read_live_counts"]

log = logging.getLogger(__name__)

#: The area levels the live counts keep (`contribution.count_keys`).
AREA_LEVELS = ("nation", "state", "municipality", "h3_6", "h3_7", "h3_8")


@dataclass(frozen=True)
class LiveCounts:
    """Rows of ``trend_counts`` as parallel arrays (one entry per stored count)."""

    area_level: npt.NDArray[np.str_]
    area: npt.NDArray[np.str_]
    crime: npt.NDArray[np.int64]  # index into all_crime_types()
    period: npt.NDArray[np.int64]
    count: npt.NDArray[np.float64]
    unknown: int = 0

    def __len__(self) -> int:
        return len(self.count)


def _subtipo_index() -> dict[str, int]:
    return {t.code: i for i, t in enumerate(all_crime_types())}


def read_live_counts(
    conn: Connection,
    grain: Period,
    area_levels: Sequence[str],
    first: int,
    last: int,
    *,
    areas: Sequence[str] | None = None,
    subtipos: Sequence[str] | None = None,
) -> LiveCounts:
    """The non-zero counts of `grain` at `area_levels` in periods `first`..`last`."""
    unknown_levels = set(area_levels) - set(AREA_LEVELS)
    if unknown_levels:
        raise ValueError(f"area_level: unknown level(s) {sorted(unknown_levels)}")
    c = trend_counts.c
    query = select(c.area_level, c.area, c.crime_type, c.period_start, c["count"]).where(
        c.grain == grain.value,
        c.area_level.in_(list(area_levels)),
        c.period_start >= period_start(first, grain),
        c.period_start <= period_start(last, grain),
        c["count"] != 0,
    )
    if areas is not None:
        query = query.where(c.area.in_(list(areas)))
    if subtipos is not None:
        query = query.where(c.crime_type.in_(list(subtipos)))
    rows = conn.execute(query).all()
    index = _subtipo_index()
    known = [r for r in rows if r.crime_type in index]
    unknown = len(rows) - len(known)
    if unknown:
        log.warning("live counts: %d rows of crime types the code table does not know", unknown)
    days = np.array([r.period_start for r in known], dtype="datetime64[D]")
    return LiveCounts(
        area_level=np.array([r.area_level for r in known], dtype=np.str_),
        area=np.array([r.area for r in known], dtype=np.str_),
        crime=np.array([index[r.crime_type] for r in known], dtype=np.int64),
        period=period_index(days, grain) if len(days) else np.zeros(0, dtype=np.int64),
        count=np.array([r.count for r in known], dtype=np.float64),
        unknown=unknown,
    )


def live_cube(
    conn: Connection,
    grain: Period,
    area_levels: Sequence[str],
    first: int,
    last: int,
    *,
    crime_levels: Sequence[CrimeLevel] = (CrimeLevel.SUBTIPO,),
    areas: Sequence[str] | None = None,
    subtipos: Sequence[str] | None = None,
) -> SeriesCube:
    """Series of the live counts: one row per (area level, area, crime level, crime) with at
    least one incident in the window, a column per period from `first` to `last`."""
    if last < first:
        raise ValueError("window: the last period comes before the first")
    counts = read_live_counts(conn, grain, area_levels, first, last, areas=areas, subtipos=subtipos)
    by_level = {
        level: np.where(counts.area_level == level, counts.area, "").astype(np.str_)
        for level in area_levels
    }
    return count_long(
        by_level,
        counts.crime,
        counts.period,
        grain,
        weights=counts.count,
        crime_levels=crime_levels,
        first=first,
        last=last,
    )
