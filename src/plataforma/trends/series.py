"""Counts by crime type × area × period, as one dense matrix with a row per series.

A series is (area level, area code, crime level, crime code): nation "00", a 2-digit state or
a 5-digit municipality, crossed with a SESNSP subtipo, its tipo or its bien jurídico. Every
row covers the same consecutive periods with zeros filled in, so the alarms run on all series
at once as array operations. Only series with at least one incident are kept: a series of
zeros can never alarm, and 2,463 municipalities × 55 subtipos would otherwise be mostly zeros.

Incidents (`incidents.py`) and official monthly counts (`sesnsp.py`) both arrive here as long
arrays (state, municipality, subtipo index, period, weight); `count_long` is the one place
that turns them into series, so a live aggregator feeding the same arrays gets the same cube.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import numpy as np
import numpy.typing as npt

from plataforma.model.codes import all_crime_types, slugify
from plataforma.trends.incidents import IncidentTable
from plataforma.trends.periods import Period, period_index, period_starts

__all__ = [
    "NATION",
    "AreaLevel",
    "CrimeLevel",
    "SeriesCube",
    "count_incidents",
    "count_long",
    "crime_codes",
]

NATION = "00"
StrArray = npt.NDArray[np.str_]
IntArray = npt.NDArray[np.int64]


class AreaLevel(StrEnum):
    NATION = "nation"
    STATE = "state"
    MUNICIPALITY = "municipality"


class CrimeLevel(StrEnum):
    """SESNSP's hierarchy: subtipo de delito → tipo de delito → bien jurídico afectado."""

    SUBTIPO = "subtipo"
    TIPO = "tipo"
    BIEN_JURIDICO = "bien_juridico"


@cache
def crime_codes(level: CrimeLevel) -> tuple[str, ...]:
    """The code at `level` of each subtipo, in `all_crime_types()` order."""
    types = all_crime_types()
    if level is CrimeLevel.SUBTIPO:
        return tuple(t.code for t in types)
    if level is CrimeLevel.TIPO:
        return tuple(t.tipo_code for t in types)
    return tuple(slugify(t.bien_juridico) for t in types)


@dataclass(frozen=True)
class SeriesCube:
    """`counts[i, j]`: incidents of series i in period `first + j`."""

    period: Period
    first: int
    counts: npt.NDArray[np.float64]
    area_level: StrArray
    area: StrArray
    crime_level: StrArray
    crime: StrArray

    def __len__(self) -> int:
        return int(self.counts.shape[0])

    @property
    def periods(self) -> int:
        return int(self.counts.shape[1])

    def starts(self) -> list[dt.date]:
        """First day of every column."""
        return period_starts(self.first, self.periods, self.period)

    def select(self, mask: npt.NDArray[np.bool_]) -> SeriesCube:
        """The series (rows) where `mask` holds."""
        return SeriesCube(
            self.period,
            self.first,
            self.counts[mask],
            self.area_level[mask],
            self.area[mask],
            self.crime_level[mask],
            self.crime[mask],
        )

    def find(self, area: str, crime: str) -> int:
        """Row of the series of `area` and `crime`; KeyError when there is none."""
        hits = np.flatnonzero((self.area == area) & (self.crime == crime))
        if len(hits) == 0:
            raise KeyError(f"no series for area {area} and crime {crime}")
        return int(hits[0])


#: Area codes per area level: the levels above, or any other named level (the live counts'
#: H3 cells, ``h3_6`` … ``h3_8``).
AreaArrays = Mapping[AreaLevel, StrArray] | Mapping[str, StrArray]


def _levels_of(
    areas: AreaArrays,
    crime: npt.NDArray[np.integer],
    crime_levels: Sequence[CrimeLevel],
) -> list[tuple[str, StrArray, CrimeLevel, StrArray]]:
    out = []
    for area_level, codes in areas.items():
        for crime_level in crime_levels:
            names = np.array(crime_codes(crime_level))
            out.append((str(area_level), codes, crime_level, names[crime]))
    return out


def count_long(
    areas: AreaArrays,
    crime: npt.NDArray[np.integer],
    period_idx: IntArray,
    period: Period,
    *,
    weights: npt.NDArray[np.float64] | None = None,
    crime_levels: Sequence[CrimeLevel] = (CrimeLevel.SUBTIPO,),
    first: int | None = None,
    last: int | None = None,
) -> SeriesCube:
    """Series from long arrays: one entry per incident (or per count, with `weights`).

    `areas` gives, per area level, each entry's area code ("" where unknown: that entry is
    left out of that level only). Periods outside `first`..`last` are dropped.
    """
    if len(period_idx) == 0 and (first is None or last is None):
        return _empty(period)
    lo = int(period_idx.min()) if first is None else first
    hi = int(period_idx.max()) if last is None else last
    span = hi - lo + 1
    weight = np.ones(len(period_idx)) if weights is None else weights
    inside = (period_idx >= lo) & (period_idx <= hi)
    parts: list[tuple[npt.NDArray[np.float64], list[str], StrArray, list[str], StrArray]] = []
    for area_level, area, crime_level, crime_code in _levels_of(areas, crime, crime_levels):
        keep = inside & (area != "")
        if not keep.any():
            continue
        pair = np.char.add(np.char.add(area[keep], "|"), crime_code[keep])
        names, series = np.unique(pair, return_inverse=True)
        flat = series.astype(np.int64) * span + (period_idx[keep] - lo)
        matrix = np.bincount(flat, weights=weight[keep], minlength=len(names) * span).astype(
            np.float64
        )
        split = np.char.partition(names, "|")
        parts.append(
            (
                matrix.reshape(len(names), span),
                [area_level] * len(names),
                split[:, 0],
                [crime_level.value] * len(names),
                split[:, 2],
            )
        )
    if not parts:
        return _empty(period, lo, span)
    return SeriesCube(
        period,
        lo,
        np.concatenate([p[0] for p in parts]),
        np.array([v for p in parts for v in p[1]]),
        np.concatenate([p[2] for p in parts]).astype(str),
        np.array([v for p in parts for v in p[3]]),
        np.concatenate([p[4] for p in parts]).astype(str),
    )


def _empty(period: Period, first: int = 0, span: int = 0) -> SeriesCube:
    none = np.array([], dtype=str)
    return SeriesCube(period, first, np.zeros((0, span)), none, none, none, none)


def count_incidents(
    table: IncidentTable,
    period: Period,
    *,
    area_levels: Sequence[AreaLevel] = (AreaLevel.STATE, AreaLevel.MUNICIPALITY),
    crime_levels: Sequence[CrimeLevel] = (CrimeLevel.SUBTIPO,),
    first: int | None = None,
    last: int | None = None,
) -> SeriesCube:
    """Series of the incidents read from a file, at the levels asked for."""
    keep = ~table.month_only if period is not Period.MONTH else np.ones(len(table), bool)
    by_level = {
        AreaLevel.NATION: np.full(int(keep.sum()), NATION),
        AreaLevel.STATE: table.state[keep],
        AreaLevel.MUNICIPALITY: table.municipality[keep],
    }
    return count_long(
        {level: by_level[level] for level in area_levels},
        table.crime[keep],
        period_index(table.day[keep], period),
        period,
        crime_levels=crime_levels,
        first=first,
        last=last,
    )
