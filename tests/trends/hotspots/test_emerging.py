"""Emerging hotspots: planted clusters come out with the right category and a reason."""

from __future__ import annotations

import h3.api.basic_int as h3int
import numpy as np
import pytest

from plataforma.trends.cells import cells_at
from plataforma.trends.hotspots.cube import Period, cell_cube, period_starts
from plataforma.trends.hotspots.emerging import Pattern, classify, emerging_hotspots
from plataforma.trends.hotspots.gistar import GiStar
from plataforma.trends.hotspots.mannkendall import mann_kendall

STEPS = 12
PERSISTENT = (19.43, -99.13)
INTENSIFYING = (19.30, -99.00)
NEW = (19.50, -99.22)


def _month_points(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lat, lon, month = [], [], []

    def add(n: int, centre: tuple[float, float], spread: float, m: int) -> None:
        lat.append(rng.normal(centre[0], spread, n) if spread else rng.uniform(19.2, 19.6, n))
        lon.append(rng.normal(centre[1], spread, n) if spread else rng.uniform(-99.3, -98.9, n))
        month.append(np.full(n, m))

    for m in range(STEPS):
        add(3000, (0, 0), 0, m)  # background over the city
        add(80, PERSISTENT, 0.003, m)
        add(20 + 4 * m * m, INTENSIFYING, 0.003, m)
        if m == STEPS - 1:
            add(150, NEW, 0.003, m)
    months = np.datetime64("2024-01", "M") + np.concatenate(month)
    return np.concatenate(lat), np.concatenate(lon), months.astype("datetime64[s]")


@pytest.fixture(scope="module")
def emerging():  # type: ignore[no-untyped-def]
    lat, lon, when = _month_points(np.random.default_rng(4))
    cells = cells_at(lat, lon, [8])[8]
    return emerging_hotspots(cell_cube(cells, when, Period.MONTH))


def _pattern_at(emerging, centre: tuple[float, float]) -> tuple[Pattern, str]:  # type: ignore[no-untyped-def]
    cell = np.uint64(h3int.latlng_to_cell(centre[0], centre[1], 8))
    row = int(np.searchsorted(emerging.cube.cells, cell))
    return emerging.patterns[row], emerging.reasons[row]


def test_a_cluster_that_grows_is_intensifying(emerging) -> None:  # type: ignore[no-untyped-def]
    pattern, reason = _pattern_at(emerging, INTENSIFYING)
    assert pattern is Pattern.INTENSIFYING_HOT
    assert "rising" in reason


def test_a_cluster_of_the_last_month_only_is_new(emerging) -> None:  # type: ignore[no-untyped-def]
    pattern, reason = _pattern_at(emerging, NEW)
    assert pattern is Pattern.NEW_HOT
    assert reason == "hot in the last step and never before"


def test_a_steady_cluster_is_hot_in_every_month(emerging) -> None:  # type: ignore[no-untyped-def]
    # Gi* is relative to each month's whole: as the other cluster grows, this one's z falls,
    # so it may read persistent or diminishing, never new, sporadic or cold.
    pattern, reason = _pattern_at(emerging, PERSISTENT)
    assert pattern in {Pattern.PERSISTENT_HOT, Pattern.DIMINISHING_HOT}
    assert reason.startswith("hot in 12 of 12 steps")


def test_background_is_mostly_no_pattern(emerging) -> None:  # type: ignore[no-untyped-def]
    share = np.mean([p is Pattern.NO_PATTERN for p in emerging.patterns])
    assert share > 0.95


def _classify(hot: list[list[bool]], cold: list[list[bool]], z: list[list[float]]) -> list[Pattern]:
    hot_a, cold_a = np.array(hot), np.array(cold)
    zs = np.array(z, dtype=float)
    gi = GiStar(zs, np.zeros_like(zs), hot_a | cold_a, 0.05, "test")
    patterns, _ = classify(gi, mann_kendall(zs))
    return patterns


def test_the_category_rules_on_hand_made_histories() -> None:
    t, f = True, False
    rise = [float(i) for i in range(10)]
    flat = [3.0, 3.1, 2.9, 3.0, 3.05, 2.95, 3.0, 3.02, 2.98, 3.0]
    hot = [
        [f] * 9 + [t],  # new
        [f] * 7 + [t] * 3,  # consecutive
        [t] * 10,  # intensifying (rising z)
        [t] * 10,  # persistent (flat z)
        [f, t, f, t, f, f, t, f, f, t],  # sporadic
        [f] * 9 + [t],  # oscillating: cold before
        [t] * 9 + [f],  # historical
        [f] * 10,  # cold: persistent cold
        [t, f, t, t, f, t, t, f, f, t],  # hot twice in a row before the final run: sporadic
    ]
    cold = [[f] * 10 for _ in hot]
    cold[5][2] = t
    cold[7] = [t] * 10
    oscillating = list(flat)
    oscillating[2] = -3.0  # the cold step has a negative z
    z = [rise, rise, rise, flat, flat, oscillating, flat, [-v for v in flat], flat]
    assert _classify(hot, cold, z) == [
        Pattern.NEW_HOT,
        Pattern.CONSECUTIVE_HOT,
        Pattern.INTENSIFYING_HOT,
        Pattern.PERSISTENT_HOT,
        Pattern.SPORADIC_HOT,
        Pattern.NEW_HOT,  # never hot before: "new" wins over "oscillating", as in ArcGIS
        Pattern.HISTORICAL_HOT,
        Pattern.PERSISTENT_COLD,
        Pattern.SPORADIC_HOT,
    ]


def test_weeks_start_on_monday_and_months_on_the_first() -> None:
    when = np.array(["2024-03-06T23:00", "2024-03-10T10:00", "2024-03-11T00:00"], dtype="M8[s]")
    assert period_starts(when, Period.WEEK).astype(str).tolist() == [
        "2024-03-04",
        "2024-03-04",
        "2024-03-11",
    ]
    assert set(period_starts(when, Period.MONTH).astype(str).tolist()) == {"2024-03-01"}


def test_an_empty_cube_and_a_single_incident_do_not_crash() -> None:
    empty = cell_cube(np.zeros(0, dtype=np.uint64), np.zeros(0, dtype="M8[s]"))
    assert emerging_hotspots(empty).patterns == []
    cell = np.array([h3int.latlng_to_cell(19.4, -99.1, 8)], dtype=np.uint64)
    one = emerging_hotspots(cell_cube(cell, np.array(["2024-05-02"], dtype="M8[s]")))
    assert len(one.patterns) == 7
    assert set(one.patterns) == {Pattern.NO_PATTERN}
