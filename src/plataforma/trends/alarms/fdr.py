"""Benjamini–Hochberg across series: how many of a period's alarms may be noise.

At 135k municipal series, a per-series false-alarm rate of 1 % is 1,350 false alarms a month.
The BH-adjusted p-value (q-value) of a series in a period is the smallest false discovery
rate at which it would still be called; keeping alarms with q ≤ Q bounds the expected share of
false ones among those a period raises at Q (Benjamini & Hochberg, 1995; valid under the
positive dependence that neighbouring series show).
"""

from __future__ import annotations

import numpy as np

from plataforma.trends.alarms.base import FloatArray

__all__ = ["bh_qvalues"]


def bh_qvalues(pvalues: FloatArray) -> FloatArray:
    """BH q-values per column (period); NaN p-values stay NaN and are not counted."""
    n = pvalues.shape[0]
    q = np.full(pvalues.shape, np.nan)
    if n == 0:
        return q
    tested = np.isfinite(pvalues)
    m = tested.sum(axis=0)
    filled = np.where(tested, pvalues, np.inf)
    order = np.argsort(filled, axis=0, kind="stable")
    ranked = np.take_along_axis(filled, order, axis=0)
    rank = np.arange(1, n + 1)[:, None]
    with np.errstate(invalid="ignore"):
        adjusted = ranked * m[None, :] / rank
    # Monotone from the largest p-value down; the untested (inf) rows sort last and stay inf.
    adjusted = np.minimum.accumulate(adjusted[::-1], axis=0)[::-1]
    adjusted = np.minimum(adjusted, 1.0)
    np.put_along_axis(q, order, adjusted, axis=0)
    q[~tested] = np.nan
    return q
