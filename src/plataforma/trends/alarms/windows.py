"""Mean and standard deviation of a trailing window for every (series, period) at once.

EARS and the z-score baseline compare a period with the `width` periods that ended `lag`
periods before it. Cumulative sums give every window's sum in two subtractions, so 135k series
× 120 periods cost a few array passes instead of a Python loop.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["trailing_stats"]

FloatArray = npt.NDArray[np.float64]


def trailing_stats(counts: FloatArray, lag: int, width: int) -> tuple[FloatArray, FloatArray]:
    """Mean and sample SD of `counts[:, t-lag-width+1 : t-lag+1]`; NaN where it starts before 0."""
    n, periods = counts.shape
    zeros = np.zeros((n, 1))
    total = np.concatenate([zeros, np.cumsum(counts, axis=1)], axis=1)
    squares = np.concatenate([zeros, np.cumsum(counts**2, axis=1)], axis=1)
    end = np.arange(periods) - lag + 1
    start = end - width
    valid = start >= 0
    end_c, start_c = np.clip(end, 0, periods), np.clip(start, 0, periods)
    window_sum = total[:, end_c] - total[:, start_c]
    window_sq = squares[:, end_c] - squares[:, start_c]
    mean = window_sum / width
    var = np.maximum(window_sq - width * mean**2, 0.0) / max(width - 1, 1)
    mean[:, ~valid] = np.nan
    var[:, ~valid] = np.nan
    return mean, np.sqrt(var)
