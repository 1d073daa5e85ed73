"""The live cube: the live counts read as series, tipo and bien jurídico summed from subtipos."""

from __future__ import annotations

import numpy as np
import pytest
from live_support import TODAY, ZAPOPAN, incident, month, seed, write_incident

from conftest import add_agency
from plataforma.context import Platform
from plataforma.store.engine import begin_write
from plataforma.store.tables import trend_counts
from plataforma.trends.live_cube import live_cube
from plataforma.trends.periods import Period, index_of
from plataforma.trends.series import CrimeLevel

NOW = index_of(TODAY, Period.MONTH)


@pytest.fixture
def world(platform: Platform) -> Platform:
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    return platform


def test_incidents_written_for_real_become_series_at_every_crime_level(world: Platform) -> None:
    write_incident(world, incident("1", crime_types=["robo_a_negocio"]))
    write_incident(world, incident("2", crime_types=["robo_de_vehiculo_automotor", "extorsion"]))
    write_incident(world, incident("3", occurred_at="2026-09-03T12:00:00"))
    levels = (CrimeLevel.SUBTIPO, CrimeLevel.TIPO, CrimeLevel.BIEN_JURIDICO)
    with world.engine.connect() as conn:
        cube = live_cube(
            conn, Period.MONTH, ("state", "municipality"), NOW - 3, NOW, crime_levels=levels
        )
    assert cube.periods == 4 and cube.starts()[0] == month(-3)
    assert list(cube.counts[cube.find("14", "robo")]) == [0, 0, 0, 2]
    assert list(cube.counts[cube.find(ZAPOPAN, "extorsion")]) == [0, 1, 0, 1]
    patrimonio = cube.find("14", "el_patrimonio")
    # 2 robos + 2 extorsiones: an incident naming two subtipos counts under each (as SESNSP
    # counts crimes, not incidents), so its bien jurídico counts it twice.
    assert cube.counts[patrimonio].sum() == 4
    assert set(cube.area_level) == {"state", "municipality"}
    assert set(cube.crime_level) == {"subtipo", "tipo", "bien_juridico"}


def test_the_window_and_the_filters_bound_what_is_read(world: Platform) -> None:
    seed(
        world,
        [
            ("month", "extorsion", "state", "14", month(-10), 7),
            ("month", "extorsion", "state", "14", month(-1), 2),
            ("month", "secuestro", "state", "15", month(0), 1),
            ("week", "extorsion", "state", "14", month(-1), 9),
        ],
    )
    with world.engine.connect() as conn:
        cube = live_cube(conn, Period.MONTH, ("state",), NOW - 2, NOW)
        only = live_cube(conn, Period.MONTH, ("state",), NOW - 2, NOW, areas=["15"])
        none = live_cube(conn, Period.MONTH, ("municipality",), NOW - 2, NOW)
    assert sorted(cube.crime.tolist()) == ["extorsion", "secuestro"]
    assert cube.counts.sum() == 3  # the month 10 back and the week are outside
    assert only.area.tolist() == ["15"]
    assert len(none) == 0 and none.periods == 3


def test_unknown_crime_types_are_left_out_and_bad_levels_refused(world: Platform) -> None:
    with begin_write(world.engine) as conn:
        conn.execute(
            trend_counts.insert(),
            {
                "grain": "month",
                "crime_type": "pirateria_espacial",
                "area_level": "state",
                "area": "14",
                "period_start": month(0),
                "count": 4,
            },
        )
    with world.engine.connect() as conn:
        cube = live_cube(conn, Period.MONTH, ("state",), NOW, NOW)
        assert len(cube) == 0
        with pytest.raises(ValueError, match="area_level"):
            live_cube(conn, Period.MONTH, ("galaxy",), NOW, NOW)
        with pytest.raises(ValueError, match="window"):
            live_cube(conn, Period.MONTH, ("state",), NOW, NOW - 1)


def test_h3_levels_are_series_too(world: Platform) -> None:
    write_incident(world, incident("1"))
    with world.engine.connect() as conn:
        today = index_of(TODAY, Period.DAY)
        cube = live_cube(conn, Period.DAY, ("h3_7",), today - 15, today)
    assert len(cube) == 1 and cube.area_level[0] == "h3_7"
    assert np.count_nonzero(cube.counts) == 1
