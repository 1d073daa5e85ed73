"""CompStat and hotspots of the live counts, for the dashboard and the API.

CompStat reads the day counts of one jurisdiction from the first of January of last year to
the report date (what its three windows and their comparisons need) at subtipo, tipo and
bien jurídico, and hands them to `compstat.compstat`, the same code the CSV command runs.

Hotspots run Getis-Ord Gi* (`hotspots.gistar`) on the live H3 counts of a window: the study
area is every cell with an incident plus its ring (as `hotspots.units.study_cells` does for
incidents read from a file), weights are the cells within one grid step, and hot and cold
cells pass the Benjamini-Hochberg false discovery rate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import h3.api.basic_int as h3int
import numpy as np
from sqlalchemy import Connection

from plataforma.trends.compstat import CompStatRow, compstat
from plataforma.trends.hotspots import gi_star, h3_ring_weights, study_cells
from plataforma.trends.live_cube import live_cube
from plataforma.trends.live_queries import BoundingBox, CrimeFilter, area_counts, invalid
from plataforma.trends.periods import Period, index_of
from plataforma.trends.series import CrimeLevel

__all__ = ["CellHotspot", "live_compstat", "live_hotspots"]

COMPSTAT_LEVELS = (CrimeLevel.SUBTIPO, CrimeLevel.TIPO, CrimeLevel.BIEN_JURIDICO)


def live_compstat(conn: Connection, area_level: str, area: str, end: dt.date) -> list[CompStatRow]:
    """CompStat rows of one jurisdiction for the windows ending on ``end``."""
    if area_level not in ("nation", "state", "municipality"):
        raise invalid("/area_level", "CompStat is by jurisdiction: nation, state or municipality")
    first = index_of(dt.date(end.year - 1, 1, 1), Period.DAY)
    cube = live_cube(
        conn,
        Period.DAY,
        (area_level,),
        first,
        index_of(end, Period.DAY),
        crime_levels=COMPSTAT_LEVELS,
        areas=[area],
    )
    order = {level.value: i for i, level in enumerate(COMPSTAT_LEVELS)}
    rows = compstat(cube, end)
    return sorted(rows, key=lambda r: (r.window, order[r.crime_level], -r.current, r.crime_type))


@dataclass(frozen=True)
class CellHotspot:
    cell: str
    count: int
    z: float
    p: float
    hot: bool
    cold: bool


def live_hotspots(
    conn: Connection,
    resolution: int,
    crime: CrimeFilter,
    grain: Period,
    since: dt.date,
    until: dt.date,
    bbox: BoundingBox,
    *,
    alpha: float = 0.05,
    max_cells: int = 20_000,
) -> list[CellHotspot]:
    """Gi* per cell of the study area inside ``bbox`` (cells with incidents and their ring)."""
    if resolution not in (6, 7, 8):
        raise invalid("/resolution", "the live counts keep H3 resolutions 6, 7 and 8")
    counted = area_counts(
        conn, grain, f"h3_{resolution}", crime, since, until, bbox=bbox, max_areas=max_cells
    )
    if not counted:
        return []
    occupied = np.array([h3int.str_to_int(a.area) for a in counted], dtype=np.uint64)
    cells = study_cells(occupied, k=1)
    if len(cells) > max_cells:
        raise invalid("/bbox", f"more than {max_cells} cells: zoom in or choose resolution 6")
    values = np.zeros(len(cells))
    values[np.searchsorted(cells, occupied)] = [a.count for a in counted]
    gi = gi_star(values, h3_ring_weights(cells, 1), alpha=alpha)
    return [
        CellHotspot(
            h3int.int_to_str(int(cell)),
            int(values[i]),
            float(gi.z[i]),
            float(gi.p[i]),
            bool(gi.hot[i]),
            bool(gi.cold[i]),
        )
        for i, cell in enumerate(cells.tolist())
    ]
