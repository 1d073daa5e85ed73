"""The rules an analyst would apply without this module, measured beside ours.

* month-over-month: alarm when a period exceeds the previous one by more than 20 %;
* 12-period z-score: alarm when a period is more than 3 SD above the mean of the 12 before.

They share the small-count guard (`base.MIN_OBSERVED`) so that the comparison is about the
statistics, not about 0→1 noise that every method must ignore.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm

from plataforma.trends.alarms.base import FloatArray, Method, MethodResult, guarded
from plataforma.trends.alarms.windows import trailing_stats

__all__ = ["MOM_RISE", "ZSCORE_THRESHOLD", "month_over_month", "zscore_12"]

MOM_RISE = 0.20
ZSCORE_WINDOW = 12
ZSCORE_THRESHOLD = 3.0


def month_over_month(counts: FloatArray) -> MethodResult:
    """Rise over the previous period above `MOM_RISE`."""
    previous = np.full(counts.shape, np.nan)
    previous[:, 1:] = counts[:, :-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        score = (counts - previous) / np.fmax(previous, 1.0)
        rule = counts > previous * (1.0 + MOM_RISE)
    upper = previous * (1.0 + MOM_RISE)
    nothing = np.full(counts.shape, np.nan)
    return MethodResult(
        Method.NAIVE_MOM, previous, upper, score, nothing, guarded(counts, previous, rule)
    )


def zscore_12(counts: FloatArray) -> MethodResult:
    """Z-score against the 12 previous periods above `ZSCORE_THRESHOLD`."""
    mean, sd = trailing_stats(counts, 1, ZSCORE_WINDOW)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = (counts - mean) / sd
        rule = score > ZSCORE_THRESHOLD
    return MethodResult(
        Method.ZSCORE_12,
        mean,
        mean + ZSCORE_THRESHOLD * sd,
        score,
        norm.sf(score),
        guarded(counts, mean, rule),
    )
