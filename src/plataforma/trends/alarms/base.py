"""What every alarm method returns, and the guard they all share against small-count noise.

A method scores every (series, period) at once. `expected` is what the period should hold
given the series' past, `upper` the count above which it alarms, `score` the excess in
standard deviations, `pvalue` the chance of a count this high if nothing changed (NaN where the
method has none, or the period was not evaluated), and `fired` the alarm after the guard.

The guard: a count under `MIN_OBSERVED` never alarms, however quiet the past. A municipality
with no extortion for years and one this month has a tiny Poisson p-value, but one case is
noise to an analyst, and in a zero-heavy series 0→1 happens somewhere every month.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

__all__ = ["MIN_OBSERVED", "Method", "MethodResult", "PairTest", "guarded"]

MIN_OBSERVED = 3
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


class Method(StrEnum):
    """Alarm methods; the first four are ours, the last two the baselines a user would pick."""

    FARRINGTON = "farrington"
    EARS_C1 = "ears_c1"
    EARS_C2 = "ears_c2"
    EARS_C3 = "ears_c3"
    NAIVE_MOM = "naive_mom"
    ZSCORE_12 = "zscore_12"


@dataclass(frozen=True)
class PairTest:
    """A method's test of each period summed with the one before it (an outbreak lasts).

    `observed` is the two-period count, `expected` what the past predicts for it, `upper`
    the sum above which that test alone alarms, `pvalue` its tail probability. The method's
    own `pvalue` already combines it with the single-period test.
    """

    observed: FloatArray
    expected: FloatArray
    upper: FloatArray
    pvalue: FloatArray


@dataclass(frozen=True)
class MethodResult:
    """One method's verdict on every (series, period); arrays shaped like the counts."""

    method: Method
    expected: FloatArray
    upper: FloatArray
    score: FloatArray
    pvalue: FloatArray
    fired: BoolArray
    # Methods that also test the two-period sum say so here (None for the others).
    pair: PairTest | None = None

    def with_fired(self, fired: BoolArray) -> MethodResult:
        return MethodResult(
            self.method, self.expected, self.upper, self.score, self.pvalue, fired, self.pair
        )


def guarded(counts: FloatArray, expected: FloatArray, rule: BoolArray) -> BoolArray:
    """`rule` where the period holds at least `MIN_OBSERVED` and more than expected."""
    with np.errstate(invalid="ignore"):
        ok = (counts >= MIN_OBSERVED) & (counts > expected) & np.isfinite(expected)
    result: BoolArray = rule & ok
    return result


def empty_like(counts: FloatArray) -> FloatArray:
    """An all-NaN array shaped like `counts`: nothing evaluated yet."""
    return np.full(counts.shape, np.nan)
