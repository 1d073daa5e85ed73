"""Live CompStat (six indexed sums) equals `compstat.compstat` on the day cube of the same
counts; live hotspots find a planted cluster of H3 counts."""

from __future__ import annotations

import datetime as dt

import h3
import numpy as np
import pytest
from live_support import seed

from plataforma.context import Platform
from plataforma.trends.compstat import compstat
from plataforma.trends.live_cube import live_cube
from plataforma.trends.live_queries import BoundingBox, CrimeFilter
from plataforma.trends.live_views import COMPSTAT_LEVELS, live_compstat, live_hotspots
from plataforma.trends.periods import Period, index_of
from plataforma.trends.series import CrimeLevel

END = dt.date(2026, 11, 20)


def test_live_compstat_equals_the_file_modes_compstat(platform: Platform) -> None:
    rng = np.random.default_rng(4)
    counts = []
    for offset in range(0, 700):
        day = END - dt.timedelta(days=offset)
        for crime in ("extorsion", "robo_a_negocio", "robo_de_vehiculo_automotor", "secuestro"):
            n = int(rng.poisson(0.7))
            if n:
                counts.append(("day", crime, "state", "14", day, n))
    seed(platform, counts)
    with platform.engine.connect() as conn:
        live = live_compstat(conn, "state", "14", END)
        first = index_of(dt.date(END.year - 1, 1, 1), Period.DAY)
        cube = live_cube(conn, Period.DAY, ("state",), first, index_of(END, Period.DAY),
                         crime_levels=COMPSTAT_LEVELS)  # fmt: skip

    def key(r: object) -> tuple[object, ...]:
        return tuple(getattr(r, f) for f in ("window", "crime_level", "crime_type"))

    reference = {key(r): r for r in compstat(cube, END)}
    assert {key(r): r for r in live} == reference
    assert len(reference) > 12


def test_live_hotspots_find_a_planted_cluster(platform: Platform) -> None:
    centre = h3.latlng_to_cell(20.67, -103.35, 7)
    ring = h3.grid_disk(centre, 1)
    far = h3.grid_disk(h3.latlng_to_cell(20.9, -103.0, 7), 6)
    counts = [("month", "extorsion", "h3_7", c, dt.date(2026, 11, 1), 9) for c in ring]
    counts += [("month", "extorsion", "h3_7", c, dt.date(2026, 11, 1), 1) for c in far[::3]]
    seed(platform, counts)
    box = BoundingBox(20.0, -104.0, 21.5, -102.5)
    crime = CrimeFilter.of(CrimeLevel.SUBTIPO, "extorsion")
    with platform.engine.connect() as conn:
        cells = live_hotspots(conn, 7, crime, Period.MONTH, dt.date(2026, 11, 1), END, box)
    hot = {c.cell for c in cells if c.hot}
    assert centre in hot and hot <= set(h3.grid_disk(centre, 2))
    assert sum(c.count for c in cells) == 9 * 7 + len(far[::3])
    with pytest.raises(Exception, match="resolution"), platform.engine.connect() as conn:
        live_hotspots(conn, 9, crime, Period.MONTH, END, END, box)
