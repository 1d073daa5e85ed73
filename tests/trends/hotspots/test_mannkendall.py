"""Mann-Kendall on many rows at once, against the textbook numbers and scipy's tau."""

from __future__ import annotations

import numpy as np
from scipy import stats

from plataforma.trends.hotspots.mannkendall import mann_kendall


def test_s_and_z_match_the_textbook_formula_with_ties() -> None:
    rows = np.array([np.arange(10.0), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5], np.zeros(10)])
    trend = mann_kendall(rows)
    assert trend.s.tolist() == [45.0, 40.0, 0.0]
    assert trend.z[0] == np.float64((45 - 1) / np.sqrt(125))
    assert np.isclose(trend.z[1], 39 / np.sqrt(120))  # ties: (2250 − 5·18) / 18
    assert trend.z[2] == 0 and trend.p[2] == 1


def test_direction_agrees_with_kendalls_tau_on_random_rows() -> None:
    rng = np.random.default_rng(0)
    rows = rng.normal(size=(50, 15)) + np.linspace(0, 1, 15) * rng.normal(size=(50, 1))
    trend = mann_kendall(rows)
    tau = np.array([stats.kendalltau(np.arange(15), r).statistic for r in rows])
    assert np.all(np.sign(trend.s) == np.sign(tau))


def test_one_step_has_no_trend() -> None:
    trend = mann_kendall(np.array([[3.0], [0.0]]))
    assert trend.p.tolist() == [1.0, 1.0]
