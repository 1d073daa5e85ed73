"""Farrington scores only the periods asked for, with the same figures as a full run."""

from __future__ import annotations

import numpy as np

from plataforma.trends.alarms.farrington import farrington
from plataforma.trends.periods import Period


def test_evaluating_the_last_periods_only_gives_the_full_runs_figures() -> None:
    rng = np.random.default_rng(3)
    counts = rng.poisson(6.0, size=(50, 40)).astype(np.float64)
    counts[0, -1] = 40  # a surge in the last month of one series
    full = farrington(counts, Period.MONTH)
    last = farrington(counts, Period.MONTH, evaluate_from=38)
    assert np.isnan(last.pvalue[:, :38]).all() and np.isnan(last.upper[:, :38]).all()
    assert np.allclose(last.pvalue[:, 38:], full.pvalue[:, 38:])
    assert np.allclose(last.upper[:, 38:], full.upper[:, 38:])
    assert last.fired[0, -1] and not last.fired[:, :38].any()
    assert np.array_equal(last.fired[:, 38:], full.fired[:, 38:])  # the same alarms as a full run
