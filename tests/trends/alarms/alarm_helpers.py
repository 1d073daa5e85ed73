"""Count matrices for the alarm tests."""

from __future__ import annotations

import numpy as np


def poisson_matrix(n: int, periods: int, mean: float, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).poisson(mean, (n, periods)).astype(np.float64)
