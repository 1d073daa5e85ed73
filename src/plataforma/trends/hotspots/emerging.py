"""Emerging hotspot analysis: Gi* at every time step, Mann-Kendall over the steps, a pattern.

The categories and their definitions are ArcGIS Pro's ("How Emerging Hot Spot Analysis
works"); each location gets one, with the reason in words. With H = the steps where the
location is a significant hot spot (FDR per step), `share` = 90 %:

* new: hot in the last step, never before;
* consecutive: an unbroken run of at least two hot steps ending in the last, never hot
  before the run, hot in fewer than 90 % of steps;
* intensifying / persistent / diminishing: hot in at least 90 % of steps including the
  last, with the Gi* z-scores rising / showing no trend / falling (Mann-Kendall, `alpha`);
* oscillating: hot in the last step, cold in some earlier one, hot in under 90 %;
* sporadic: hot in the last step, on and off before, never cold, hot in under 90 %;
* historical: not hot in the last step but hot in at least 90 % of steps;

and the same for cold spots with hot and cold exchanged ("intensifying cold": the z-scores
falling). Everything else is "no pattern". Differences from ArcGIS: the neighbourhood is
spatial only (the cell and its `k`-ring in the same step; ArcGIS may add earlier steps),
and the rules need no minimum number of steps (ArcGIS asks for 10: with fewer, the trend
test rarely reaches significance, which the reason then says).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from plataforma.trends.hotspots.cube import SpaceTimeCube
from plataforma.trends.hotspots.gistar import GiStar, gi_star
from plataforma.trends.hotspots.mannkendall import Trend, mann_kendall
from plataforma.trends.hotspots.weights import SpatialWeights, h3_ring_weights
from plataforma.trends.territory import BoolArray

__all__ = ["Emerging", "Pattern", "classify", "emerging_hotspots"]


class Pattern(enum.StrEnum):
    NEW_HOT = "new hot spot"
    CONSECUTIVE_HOT = "consecutive hot spot"
    INTENSIFYING_HOT = "intensifying hot spot"
    PERSISTENT_HOT = "persistent hot spot"
    DIMINISHING_HOT = "diminishing hot spot"
    SPORADIC_HOT = "sporadic hot spot"
    OSCILLATING_HOT = "oscillating hot spot"
    HISTORICAL_HOT = "historical hot spot"
    NEW_COLD = "new cold spot"
    CONSECUTIVE_COLD = "consecutive cold spot"
    INTENSIFYING_COLD = "intensifying cold spot"
    PERSISTENT_COLD = "persistent cold spot"
    DIMINISHING_COLD = "diminishing cold spot"
    SPORADIC_COLD = "sporadic cold spot"
    OSCILLATING_COLD = "oscillating cold spot"
    HISTORICAL_COLD = "historical cold spot"
    NO_PATTERN = "no pattern"


@dataclass(frozen=True)
class Emerging:
    """One pattern and reason per location of the cube."""

    cube: SpaceTimeCube
    gi: GiStar
    trend: Trend
    patterns: list[Pattern]
    reasons: list[str]


def _trailing_run(flags: BoolArray) -> npt.NDArray[np.intp]:
    reverse = flags[:, ::-1]
    steps = flags.shape[1]
    run: npt.NDArray[np.intp] = np.where(reverse.all(axis=1), steps, reverse.argmin(axis=1))
    return run


def _side(
    this: BoolArray, other: BoolArray, rising: BoolArray, falling: BoolArray, share: float
) -> list[tuple[BoolArray, str, str]]:
    """(mask, pattern suffix, reason) for one side (hot or cold), in order of precedence."""
    steps = this.shape[1]
    last = this[:, -1]
    fraction = this.mean(axis=1)
    before = this[:, :-1].any(axis=1)
    run = _trailing_run(this)
    prefix_hits = np.concatenate([np.zeros((len(this), 1)), np.cumsum(this, axis=1)], axis=1)
    before_run = prefix_hits[np.arange(len(this)), steps - run] > 0
    mostly = fraction >= share
    other_before = other[:, :-1].any(axis=1)
    return [
        (last & ~before, "NEW", "{side} in the last step and never before"),
        (
            last & (run >= 2) & ~before_run & ~mostly,
            "CONSECUTIVE",
            "{side} in the last {run} steps in a row, never before them",
        ),
        (
            last & mostly & rising,
            "INTENSIFYING",
            "{side} in {n} of {T} steps incl. the last; {trend}",
        ),
        (
            last & mostly & falling,
            "DIMINISHING",
            "{side} in {n} of {T} steps incl. the last; {trend}",
        ),
        (last & mostly, "PERSISTENT", "{side} in {n} of {T} steps incl. the last; {trend}"),
        (last & other_before, "OSCILLATING", "{side} in the last step, {other} in an earlier one"),
        (
            last,
            "SPORADIC",
            "{side} in the last step and on and off before ({n} of {T}), never {other}",
        ),
        (~last & mostly, "HISTORICAL", "{side} in {n} of {T} steps but not in the last"),
    ]


def classify(
    gi: GiStar, trend: Trend, *, share: float = 0.9, trend_alpha: float = 0.05
) -> tuple[list[Pattern], list[str]]:
    """Patterns and reasons from per-step Gi* (units × steps) and the trend of its z-scores."""
    n, steps = gi.z.shape
    patterns = [Pattern.NO_PATTERN] * n
    reasons = [""] * n
    if steps == 0:
        return patterns, ["no time steps"] * n
    trending = trend.p < trend_alpha
    rising, falling = trending & (trend.z > 0), trending & (trend.z < 0)
    hot, cold = gi.hot, gi.cold
    decided = np.zeros(n, dtype=bool)
    sides = [
        ("HOT", "hot", "cold", _side(hot, cold, rising, falling, share), hot),
        # For cold spots "intensifying" means the z-scores keep falling.
        ("COLD", "cold", "hot", _side(cold, hot, falling, rising, share), cold),
    ]
    last_hot, last_cold = hot[:, -1], cold[:, -1]
    for suffix, side, other, rules, flags in sides:
        own_last = last_hot if suffix == "HOT" else last_cold
        for mask, prefix, template in rules:
            # A location cold in the last step is judged as cold first, and vice versa.
            chosen = np.flatnonzero(mask & ~decided & (own_last | ~(last_hot | last_cold)))
            pattern = Pattern[f"{prefix}_{suffix}"]
            run = _trailing_run(flags)
            for i in chosen.tolist():
                patterns[i] = pattern
                reasons[i] = template.format(
                    side=side, other=other, n=int(flags[i].sum()), T=steps, run=int(run[i]),
                    trend=_trend_words(trend, i, trend_alpha),
                )  # fmt: skip
            decided[chosen] = True
    for i in np.flatnonzero(~decided).tolist():
        reasons[i] = (
            f"not significant in the last step; hot in {int(hot[i].sum())}, "
            f"cold in {int(cold[i].sum())} of {steps} steps"
        )
    return patterns, reasons


def _trend_words(trend: Trend, i: int, alpha: float) -> str:
    z, p = float(trend.z[i]), float(trend.p[i])
    direction = "rising" if z > 0 else "falling"
    if p < alpha:
        return f"Gi* z {direction} (Mann-Kendall z = {z:.2f}, p = {p:.3f})"
    return f"no significant trend (Mann-Kendall z = {z:.2f}, p = {p:.3f})"


def emerging_hotspots(
    cube: SpaceTimeCube,
    *,
    weights: SpatialWeights | None = None,
    k: int = 1,
    alpha: float = 0.05,
    trend_alpha: float = 0.05,
    share: float = 0.9,
) -> Emerging:
    """Classify every location of an H3 cube (weights: `k`-rings unless given)."""
    if not 0 < share <= 1:
        raise ValueError("share: must be a fraction in (0, 1]")
    weights = weights or h3_ring_weights(cube.cells, k)
    gi = gi_star(cube.counts, weights, alpha=alpha)
    trend = mann_kendall(gi.z)
    patterns, reasons = classify(gi, trend, share=share, trend_alpha=trend_alpha)
    return Emerging(cube, gi, trend, patterns, reasons)
