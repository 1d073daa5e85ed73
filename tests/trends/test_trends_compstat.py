"""CompStat windows line up weekdays and years; the Poisson test tempers small counts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from trends_helpers import TODAY, incident, write_incidents

from plataforma.trends.compstat import Window, compstat, poisson_change_test, windows
from plataforma.trends.incidents import read_incidents
from plataforma.trends.periods import Period
from plataforma.trends.series import AreaLevel, count_incidents


def test_windows() -> None:
    spans = windows(dt.date(2024, 12, 31))  # a Tuesday
    assert spans[Window.WEEK_TO_DATE][:2] == (dt.date(2024, 12, 30), dt.date(2024, 12, 31))
    assert spans[Window.WEEK_TO_DATE][2].weekday() == 0
    assert spans[Window.DAYS_28][0] == dt.date(2024, 12, 4)
    assert spans[Window.YEAR_TO_DATE][2:] == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert windows(dt.date(2024, 2, 29))[Window.YEAR_TO_DATE][3] == dt.date(2023, 2, 28)


def test_poisson_test_on_small_and_large_counts() -> None:
    assert poisson_change_test(4, 2) > 0.5  # +100 % on tiny counts is not evidence
    assert poisson_change_test(400, 200) < 1e-10
    assert poisson_change_test(0, 0) == 1.0


def test_compstat_rows(tmp_path: Path) -> None:
    rows = [incident(f"n{i}", "2024-12-20") for i in range(6)]
    rows += [incident(f"o{i}", "2023-12-22") for i in range(2)]
    table = read_incidents(
        write_incidents(tmp_path / "in.csv", rows), period=Period.DAY, today=TODAY
    )
    cube = count_incidents(table, Period.DAY, area_levels=[AreaLevel.MUNICIPALITY])
    found = {(r.window, r.area): r for r in compstat(cube, dt.date(2024, 12, 31))}
    days28 = found[(Window.DAYS_28, "09015")]
    assert (days28.current, days28.previous, days28.change_pct) == (6, 2, 200.0)
    assert days28.p_value == pytest.approx(0.289, abs=0.01)
    assert (Window.WEEK_TO_DATE, "09015") not in found
    with pytest.raises(ValueError, match="day-level"):
        compstat(count_incidents(table, Period.MONTH), dt.date(2024, 12, 31))
