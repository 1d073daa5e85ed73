"""FDR across series, and one alarm per (series, period) with its reason."""

from __future__ import annotations

import numpy as np
from alarm_helpers import poisson_matrix
from statsmodels.stats.multitest import multipletests

from plataforma.trends.alarms import AlarmConfig, Method, first_alarms, score_all
from plataforma.trends.alarms.fdr import bh_qvalues
from plataforma.trends.periods import Period
from plataforma.trends.series import SeriesCube


def test_bh_matches_statsmodels_per_period() -> None:
    p = np.random.default_rng(1).uniform(0, 0.2, (50, 3))
    p[5, 1] = np.nan
    q = bh_qvalues(p)
    for col in range(3):
        tested = np.isfinite(p[:, col])
        expected = multipletests(p[tested, col], method="fdr_bh")[1]
        np.testing.assert_allclose(q[tested, col], expected)
    assert np.isnan(q[5, 1])


def _cube(counts: np.ndarray) -> SeriesCube:
    n = len(counts)
    areas = np.array([f"{14000 + i + 1:05d}" for i in range(n)])
    return SeriesCube(
        Period.MONTH,
        648,
        counts,
        np.full(n, "municipality"),
        areas,
        np.full(n, "subtipo"),
        np.full(n, "extorsion"),
    )


def test_fdr_keeps_the_outbreak_and_drops_noise() -> None:
    counts = poisson_matrix(400, 36, 5.0, seed=8)
    counts[7, 35] += 25
    cube = _cube(counts)
    loose = score_all(cube, AlarmConfig(fdr=None, evaluate_from=24))[Method.FARRINGTON]
    strict = score_all(cube, AlarmConfig(fdr=0.05, evaluate_from=24))[Method.FARRINGTON]
    assert strict.fired[7, 35]
    assert strict.fired.sum() < loose.fired.sum()
    assert not loose.fired[:, :24].any()


def test_first_method_in_order_wins_and_explains() -> None:
    counts = poisson_matrix(20, 30, 8.0, seed=9)
    counts[3, 29] += 40
    cube = _cube(counts)
    order = (Method.ZSCORE_12, Method.FARRINGTON)
    results = score_all(cube, AlarmConfig(methods=order, fdr=None, evaluate_from=29))
    alarms = first_alarms(cube, results, order)
    mine = [a for a in alarms if a.area == "14004"]
    assert len(mine) == 1 and mine[0].method is Method.ZSCORE_12
    assert mine[0].period_start.isoformat() == "2026-06-01"
    assert mine[0].observed == counts[3, 29] and mine[0].expected < mine[0].observed
    assert "observed where" in mine[0].reason


def test_an_alarm_from_the_two_period_test_says_so() -> None:
    from plataforma.trends.alarms import FarringtonConfig

    counts = poisson_matrix(40, 48, 20.0, seed=9)
    counts[0, 40:42] += 25
    config = AlarmConfig(fdr=None, farrington=FarringtonConfig(two_period=True), evaluate_from=41)
    alarms = [
        a
        for a in first_alarms(_cube(counts), score_all(_cube(counts), config))
        if a.area == "14001"
    ]
    assert alarms and alarms[0].pair_observed == counts[0, 40] + counts[0, 41]
    assert "with the period before" in alarms[0].reason
    plain = AlarmConfig(fdr=None, evaluate_from=41)
    alarm = first_alarms(_cube(counts), score_all(_cube(counts), plain))[0]
    assert np.isnan(alarm.pair_pvalue) and "period before" not in alarm.reason
