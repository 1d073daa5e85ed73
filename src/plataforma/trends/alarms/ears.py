"""CDC's Early Aberration Reporting System: C1, C2 and C3 (Hutwagner et al., 2003).

C1 compares a period with the mean and SD of the 7 before it; C2 leaves a 2-period guard band
between them (so a rise that builds over days does not hide itself in its own baseline); C3
adds the part of C2 above 1 over the current and two previous periods, so a moderate rise that
persists alarms too. Thresholds as CDC set them: C1 and C2 above 3, C3 above 2.

The SD is floored at the Poisson SD of the baseline mean (at least 1): seven quiet periods
have a sample SD near zero, and without the floor any uptick would score in the hundreds.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm

from plataforma.trends.alarms.base import FloatArray, Method, MethodResult, guarded
from plataforma.trends.alarms.windows import trailing_stats

__all__ = ["BASELINE", "C3_THRESHOLD", "C12_THRESHOLD", "ears"]

BASELINE = 7
GUARD_BAND = 2
C12_THRESHOLD = 3.0
C3_THRESHOLD = 2.0


def _statistic(counts: FloatArray, lag: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    mean, sd = trailing_stats(counts, lag, BASELINE)
    sd = np.fmax(sd, np.sqrt(np.fmax(mean, 1.0)))
    return mean, sd, (counts - mean) / sd


def _result(
    method: Method, counts: FloatArray, mean: FloatArray, sd: FloatArray, stat: FloatArray
) -> MethodResult:
    with np.errstate(invalid="ignore"):
        rule = stat > C12_THRESHOLD
    pvalue = norm.sf(stat)
    return MethodResult(
        method, mean, mean + C12_THRESHOLD * sd, stat, pvalue, guarded(counts, mean, rule)
    )


def ears(counts: FloatArray) -> dict[Method, MethodResult]:
    """C1, C2 and C3 on every series and period (NaN before enough history)."""
    c1 = _result(Method.EARS_C1, counts, *_statistic(counts, 1))
    mean2, sd2, stat2 = _statistic(counts, 1 + GUARD_BAND)
    c2 = _result(Method.EARS_C2, counts, mean2, sd2, stat2)
    excess = np.fmax(stat2 - 1.0, 0.0)
    c3_stat = excess.copy()
    c3_stat[:, 1:] += excess[:, :-1]
    c3_stat[:, 2:] += excess[:, :-2]
    c3_stat[:, :2] = np.nan
    with np.errstate(invalid="ignore"):
        rule = c3_stat > C3_THRESHOLD
    # C3 sums three standardised excesses: no simple tail probability, so no p-value.
    c3 = MethodResult(
        Method.EARS_C3,
        mean2,
        mean2 + (1.0 + C3_THRESHOLD) * sd2,
        c3_stat,
        np.full(counts.shape, np.nan),
        guarded(counts, mean2, rule),
    )
    return {c1.method: c1, c2.method: c2, c3.method: c3}
