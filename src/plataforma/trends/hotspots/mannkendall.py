"""The Mann-Kendall trend test on many short series at once.

Emerging hotspot analysis asks of every location whether its Gi* z-score rises or falls
over the time steps. Series are short (a dozen to a few dozen steps) and many (every cell
of a country), so S is computed over all pairs of steps as one array operation and the
variance carries the usual correction for tied values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from plataforma.trends.points import FloatArray

__all__ = ["Trend", "mann_kendall"]


@dataclass(frozen=True)
class Trend:
    """Per series: Kendall's S, its normal z (continuity-corrected) and two-sided p."""

    s: FloatArray
    z: FloatArray
    p: FloatArray


def _tie_term(series: FloatArray) -> FloatArray:
    """Σ t(t−1)(2t+5) over each row's groups of equal values."""
    ordered = np.sort(series, axis=1)
    n_rows, n_steps = ordered.shape
    term = np.zeros(n_rows)
    run = np.ones(n_rows)
    for step in range(1, n_steps + 1):
        same = (
            ordered[:, step] == ordered[:, step - 1] if step < n_steps else np.zeros(n_rows, bool)
        )
        ended = ~same
        term[ended] += run[ended] * (run[ended] - 1) * (2 * run[ended] + 5)
        run = np.where(same, run + 1, 1.0)
    return term


def mann_kendall(series: FloatArray) -> Trend:
    """The test on each row of `series` (rows: locations, columns: time steps in order)."""
    x = np.asarray(series, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError("series: expected a 2-D array (locations × time steps)")
    n = x.shape[1]
    later, earlier = np.triu_indices(n, k=1)[::-1]
    s = np.sign(x[:, later] - x[:, earlier]).sum(axis=1) if n > 1 else np.zeros(len(x))
    variance = (n * (n - 1) * (2 * n + 5) - _tie_term(x)) / 18.0
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(variance > 0, (s - np.sign(s)) / np.sqrt(variance), 0.0)
    p = 2 * stats.norm.sf(np.abs(z))
    return Trend(s.astype(np.float64), z, p)
