"""Series: zero-filled, at every level of the crime hierarchy and of the map."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from trends_helpers import TODAY, incident, write_incidents

from plataforma.trends.incidents import read_incidents
from plataforma.trends.periods import Period
from plataforma.trends.series import AreaLevel, CrimeLevel, count_incidents


def test_counts_fill_gaps_and_roll_up(tmp_path: Path) -> None:
    rows = [
        incident("a", "2024-01-10", "robo_a_negocio"),
        incident("b", "2024-03-05", "robo_de_vehiculo_automotor"),
        incident("c", "2024-03-06", "robo_a_negocio", "14", "14039"),
    ]
    table = read_incidents(write_incidents(tmp_path / "in.csv", rows), today=TODAY)
    cube = count_incidents(
        table, Period.MONTH, area_levels=list(AreaLevel), crime_levels=list(CrimeLevel)
    )
    assert cube.periods == 3 and [d.isoformat() for d in cube.starts()] == [
        "2024-01-01",
        "2024-02-01",
        "2024-03-01",
    ]
    assert cube.counts[cube.find("09015", "robo_a_negocio")].tolist() == [1, 0, 0]
    assert cube.counts[cube.find("09", "robo")].tolist() == [1, 0, 1]
    assert cube.counts[cube.find("00", "el_patrimonio")].tolist() == [1, 0, 2]
    assert cube.counts.sum() == 3 * len(AreaLevel) * len(CrimeLevel)


def test_weekly_and_daily_series(tmp_path: Path) -> None:
    rows = [incident("a", "2024-12-29"), incident("b", "2024-12-30"), incident("c", "2025-01-05")]
    table = read_incidents(
        write_incidents(tmp_path / "in.csv", rows), period=Period.WEEK, today=TODAY
    )
    weekly = count_incidents(table, Period.WEEK, area_levels=[AreaLevel.STATE])
    assert weekly.counts.tolist() == [[1, 2]]
    daily = count_incidents(table, Period.DAY, area_levels=[AreaLevel.STATE])
    assert daily.periods == 8 and daily.counts.sum() == 3 and np.count_nonzero(daily.counts) == 3
