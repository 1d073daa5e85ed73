"""Run the alarm methods on a cube of series and turn what fired into alarms people read.

`score_all` runs each method on every series and period, then applies Benjamini–Hochberg
within each family of series (one area level × crime level, per period) to the methods that
give p-values; `first_alarms` keeps one alarm per (series, period): the first method in the
order given that fired, with what was expected, what was observed, and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from plataforma.trends.alarms.base import (
    MIN_OBSERVED,
    BoolArray,
    FloatArray,
    Method,
    MethodResult,
)
from plataforma.trends.alarms.baselines import month_over_month, zscore_12
from plataforma.trends.alarms.ears import ears
from plataforma.trends.alarms.farrington import FarringtonConfig, farrington
from plataforma.trends.alarms.fdr import bh_qvalues
from plataforma.trends.series import SeriesCube

__all__ = ["DEFAULT_FDR", "DEFAULT_METHODS", "Alarm", "AlarmConfig", "first_alarms", "score_all"]

DEFAULT_METHODS = (Method.FARRINGTON,)
DEFAULT_FDR = 0.4


@dataclass(frozen=True)
class AlarmConfig:
    """Which methods run, in which order of precedence, and the false discovery rate."""

    methods: tuple[Method, ...] = DEFAULT_METHODS
    # None: per-series alarms only; else keep alarms whose BH q-value is at most this.
    # 0.4 after a per-series screen at 0.05, tuned on a tuning seed and reported on a
    # held-out one (bench/trends.py, docs/trends.md).
    fdr: float | None = DEFAULT_FDR
    evaluate_from: int = 0
    farrington: FarringtonConfig = field(default_factory=FarringtonConfig)


@dataclass(frozen=True)
class Alarm:
    """One fired alarm: where, what, when, how much, by which method and why."""

    area_level: str
    area: str
    crime_level: str
    crime_type: str
    period_start: dt.date
    observed: float
    expected: float
    upper: float
    score: float
    pvalue: float
    qvalue: float
    method: Method
    # Set when the method also tested this period summed with the one before (two_period).
    pair_observed: float = float("nan")
    pair_expected: float = float("nan")
    pair_pvalue: float = float("nan")

    @property
    def reason(self) -> str:
        """The alarm in one sentence, as an analyst reads it."""
        text = (
            f"{self.method.value}: {self.observed:g} observed where {self.expected:.1f} were "
            f"expected (alarm above {self.upper:.1f}, score {self.score:.1f})"
        )
        if np.isfinite(self.pvalue):
            text += f"; p={self.pvalue:.2g}"
        if np.isfinite(self.pair_pvalue):
            text += (
                f"; with the period before, {self.pair_observed:g} observed where"
                f" {self.pair_expected:.1f} were expected (p={self.pair_pvalue:.2g})"
            )
        if np.isfinite(self.qvalue):
            text += f", q={self.qvalue:.2g} across the period's series"
        return text


def _run(method: Method, counts: FloatArray, cube: SeriesCube, config: AlarmConfig) -> MethodResult:
    if method is Method.FARRINGTON:
        return farrington(
            counts, cube.period, evaluate_from=config.evaluate_from, config=config.farrington
        )
    if method is Method.NAIVE_MOM:
        return month_over_month(counts)
    if method is Method.ZSCORE_12:
        return zscore_12(counts)
    return ears(counts)[method]


def qvalues(cube: SeriesCube, pvalue: FloatArray) -> FloatArray:
    """BH q-values within each family (area level × crime level) and period."""
    q = np.full(pvalue.shape, np.nan)
    family = np.char.add(np.char.add(cube.area_level, "|"), cube.crime_level)
    for name in np.unique(family):
        rows = family == name
        q[rows] = bh_qvalues(pvalue[rows])
    return q


def score_all(cube: SeriesCube, config: AlarmConfig | None = None) -> dict[Method, MethodResult]:
    """Every requested method on every series; FDR applied where the method has p-values."""
    config = config or AlarmConfig()
    counts = cube.counts.astype(np.float64)
    results: dict[Method, MethodResult] = {}
    shared_ears: dict[Method, MethodResult] | None = None
    for method in config.methods:
        if method in (Method.EARS_C1, Method.EARS_C2, Method.EARS_C3):
            shared_ears = shared_ears or ears(counts)
            result = shared_ears[method]
        else:
            result = _run(method, counts, cube, config)
        fired: BoolArray = result.fired.copy()
        fired[:, : config.evaluate_from] = False
        if config.fdr is not None and np.isfinite(result.pvalue).any():
            q = qvalues(cube, result.pvalue)
            with np.errstate(invalid="ignore"):
                fired &= q <= config.fdr
        results[method] = result.with_fired(fired)
    return results


def first_alarms(
    cube: SeriesCube, results: dict[Method, MethodResult], order: Sequence[Method] | None = None
) -> list[Alarm]:
    """One alarm per (series, period) that any method fired: the first method in `order`."""
    order = list(order or results)
    if not order or len(cube) == 0:
        return []
    stacked = np.stack([results[m].fired for m in order])
    any_fired = stacked.any(axis=0)
    first = np.argmax(stacked, axis=0)
    starts = cube.starts()
    q_cache: dict[Method, FloatArray] = {}
    alarms = []
    for row, col in zip(*np.nonzero(any_fired), strict=True):
        method = order[int(first[row, col])]
        result = results[method]
        pair = result.pair
        pair_values = (
            (float("nan"),) * 3
            if pair is None
            else (
                float(pair.observed[row, col]),
                float(pair.expected[row, col]),
                float(pair.pvalue[row, col]),
            )
        )
        if method not in q_cache:
            q_cache[method] = qvalues(cube, result.pvalue)
        alarms.append(
            Alarm(
                area_level=str(cube.area_level[row]),
                area=str(cube.area[row]),
                crime_level=str(cube.crime_level[row]),
                crime_type=str(cube.crime[row]),
                period_start=starts[col],
                observed=float(cube.counts[row, col]),
                expected=float(result.expected[row, col]),
                # No alarm fires under the small-count guard, whatever the method's bound.
                upper=max(float(result.upper[row, col]), MIN_OBSERVED - 1.0),
                score=float(result.score[row, col]),
                pvalue=float(result.pvalue[row, col]),
                qvalue=float(q_cache[method][row, col]),
                method=method,
                pair_observed=pair_values[0],
                pair_expected=pair_values[1],
                pair_pvalue=pair_values[2],
            )
        )
    alarms.sort(key=lambda a: (a.period_start, a.area_level, a.area, a.crime_type))
    return alarms
