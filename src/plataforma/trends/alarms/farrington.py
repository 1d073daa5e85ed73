"""A Farrington-flexible style quasi-Poisson GLM, fitted to every series at once.

For each period t the model looks at the series' past window (up to 5 years of months,
3 years of weeks, 13 weeks of days) and fits `log μ = β0 + β1·trend + seasonal harmonics` by
iteratively reweighted least squares, as Noufaily et al. (2013) improved Farrington et al.
(1996):

* overdispersion φ from the Pearson statistic (at least 1: quasi-Poisson);
* past outbreaks down-weighted: points whose Anscombe residual exceeds 2.58 get weight
  1/r², then the model is refitted, so last year's surge does not raise this year's baseline;
* the trend is kept only where it is significant (|t| > 1.96) and does not predict beyond the
  largest count of the window (Farrington's rule against runaway extrapolation);
* seasonality as one pair of harmonics over the year (week of days for daily series) instead of
  the 10-level factor of the R package, which needs more years than most series have; the
  harmonics enter only when the window covers 1.5 cycles;
* the alarm is the upper tail of a negative binomial matched to the predictive mean and
  variance (φμ plus the uncertainty of μ itself): p-value below `alpha`.

Vectorised: the design matrix depends only on the lag from t, so every (series, t) pair with
the same window length shares it, and XᵀWX for all of them is one matrix product
`W @ (x xᵀ)` followed by a batched solve. See `docs/trends.md` for what was measured.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view
from scipy.stats import nbinom, poisson

from plataforma.trends.alarms.base import (
    FloatArray,
    Method,
    MethodResult,
    PairTest,
    empty_like,
    guarded,
)
from plataforma.trends.periods import Period, season_length

__all__ = ["FarringtonConfig", "farrington"]

_WINDOW = {Period.MONTH: 60, Period.WEEK: 156, Period.DAY: 91}
_MIN_HISTORY = {Period.MONTH: 12, Period.WEEK: 26, Period.DAY: 28}
_CELLS_PER_CHUNK = 3_000_000
_ETA_BOUNDS = (-12.0, 16.0)
_MEDIAN_CHI2_1 = 0.4549


@dataclass(frozen=True)
class FarringtonConfig:
    # Per-series screen before the FDR step (measured: docs/trends.md). 0.05 with BH q 0.4
    # was chosen on a tuning seed: 0.02 with q 0.3 found 87 % of 3-SD outbreaks.
    alpha: float = 0.05
    reweight_above: float = 2.58
    trend_t: float = 1.96
    iterations: int = 5
    refit_iterations: int = 3
    # Periods left out between the window and the evaluated period, so the first period of
    # an outbreak is not in the baseline of its second (Farrington leaves out 26 weeks).
    guard: int = 1
    # Mid-p (half the probability of the observed count itself): the plain tail of a
    # discrete count is conservative at small means and would cost power there.
    mid_p: bool = True
    # Also test the sum of this period and the previous one (an outbreak lasts more than one
    # period) and combine both p-values by Simes: min(2·min(p), max(p)). Off by default:
    # on the tuning seed it lifted synthetic detection (87 → 92 %) but on the real series it
    # bought less detection per extra alarm than a looser per-series screen (docs/trends.md).
    two_period: bool = False


@dataclass(frozen=True)
class _Design:
    full: FloatArray  # (L, p): intercept, trend, harmonics
    now: FloatArray  # (p,): the same at lag 0 (the evaluated period)
    before: FloatArray  # (p,): the same at lag -1 (the period before it)


def _design(length: int, season: float, guard: int) -> _Design:
    lag = np.arange(length, dtype=np.float64) - length - guard  # -(L+guard) … -(1+guard)
    cols = [np.ones(length), lag / season]
    now = [1.0, 0.0]
    before = [1.0, -1.0 / season]
    if length >= 1.5 * season:
        angle = 2 * math.pi * lag / season
        cols += [np.sin(angle), np.cos(angle)]
        now += [0.0, 1.0]
        back = -2 * math.pi / season
        before += [math.sin(back), math.cos(back)]
    return _Design(np.column_stack(cols), np.array(now), np.array(before))


@dataclass
class _Fit:
    beta: FloatArray  # (m, p)
    mu: FloatArray  # (m, L)
    info: FloatArray  # (m, p, p): XᵀWX
    phi: FloatArray  # (m,)


def _irls(y: FloatArray, x: FloatArray, prior: FloatArray, beta: FloatArray, steps: int) -> _Fit:
    """Poisson IRLS for every row of `y` against the shared design `x`, from `beta`."""
    length, p = x.shape
    outer = np.einsum("lp,lq->lpq", x, x).reshape(length, p * p)
    ridge = 1e-8 * np.eye(p)
    info = np.empty((len(y), p, p))
    for _ in range(steps):
        eta = _bounded(beta @ x.T)
        mu = np.exp(eta)
        weight = prior * mu
        z = eta + (y - mu) / mu
        info = (weight @ outer).reshape(-1, p, p) + ridge
        beta = np.linalg.solve(info, ((weight * z) @ x)[..., None])[..., 0]
    mu = np.exp(_bounded(beta @ x.T))
    info = ((prior * mu) @ outer).reshape(-1, p, p) + ridge
    pearson = (prior * (y - mu) ** 2 / mu).sum(axis=1)
    dof = np.maximum(prior.sum(axis=1) - p, 1.0)
    return _Fit(beta, mu, info, np.maximum(pearson / dof, 1.0))


def _bounded(eta: FloatArray) -> FloatArray:
    """Keep log-means finite: an all-zero window drives its intercept towards -inf."""
    np.maximum(eta, _ETA_BOUNDS[0], out=eta)
    np.minimum(eta, _ETA_BOUNDS[1], out=eta)
    return eta


def _fit(y: FloatArray, x: FloatArray, config: FarringtonConfig, start: FloatArray) -> _Fit:
    """Fit from `start`, down-weight outbreaks by their Anscombe residuals, refit."""
    ones = np.ones_like(y)
    first = _irls(y, x, ones, start, config.iterations)
    anscombe = 1.5 * (np.cbrt(y) ** 2 * first.mu ** (-1 / 6) - np.sqrt(first.mu))
    # The residual scale is robust (median Pearson residual): an outbreak inflates the mean
    # dispersion so much that its own residuals would no longer look large.
    pearson = (y - first.mu) ** 2 / first.mu
    robust_phi = np.maximum(np.median(pearson, axis=1) / _MEDIAN_CHI2_1, 1.0)
    resid = anscombe / np.sqrt(robust_phi)[:, None]
    with np.errstate(divide="ignore"):
        weight = np.where(resid > config.reweight_above, resid**-2.0, 1.0)
    weight *= y.shape[1] / weight.sum(axis=1, keepdims=True)
    return _irls(y, x, weight, first.beta, config.refit_iterations)


def _predict(fit: _Fit, *rows: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Predictive mean and variance of the sum of the counts at the design `rows`.

    Delta method: the gradient of Σ exp(xₖβ) is g = Σ μₖ xₖ, so the mean's own variance is
    φ gᵀ(XᵀWX)⁻¹g; the count adds φ·mean. For one row this is φμ + μ²·φ xᵀ(XᵀWX)⁻¹x.
    """
    parts = [np.exp(_bounded(fit.beta @ row)) for row in rows]
    mu = np.sum(parts, axis=0)
    gradient = np.sum([m[:, None] * row for m, row in zip(parts, rows, strict=True)], axis=0)
    spread = np.linalg.solve(fit.info, gradient[..., None])[..., 0]
    return mu, fit.phi * mu + fit.phi * (spread * gradient).sum(axis=1)


@dataclass
class _Prediction:
    """Predictive mean and variance at lag 0, and of the sum of lags -1 and 0."""

    mu: FloatArray
    var: FloatArray
    pair_mu: FloatArray
    pair_var: FloatArray


def _score_windows(y: FloatArray, design: _Design, config: FarringtonConfig) -> _Prediction:
    """What each window (row of `y`) predicts for the evaluated period and the pair ending it."""
    start = np.zeros((len(y), design.full.shape[1]))
    start[:, 0] = np.log(y.mean(axis=1) + 0.5)
    flat = _fit(y, np.delete(design.full, 1, axis=1), config, np.delete(start, 1, axis=1))
    start = np.insert(flat.beta, 1, 0.0, axis=1)
    full = _fit(y, design.full, config, start)
    now_flat, before_flat = np.delete(design.now, 1), np.delete(design.before, 1)
    mu, var = _predict(full, design.now)
    se = np.sqrt(full.phi * np.linalg.inv(full.info)[:, 1, 1])
    keep_trend = (np.abs(full.beta[:, 1]) > config.trend_t * se) & (mu <= y.max(axis=1))
    out = []
    for rows, rows_flat in (
        ((design.now,), (now_flat,)),
        ((design.before, design.now), (before_flat, now_flat)),
    ):
        mu, var = _predict(full, *rows)
        mu_flat, var_flat = _predict(flat, *rows_flat)
        mu, var = np.where(keep_trend, mu, mu_flat), np.where(keep_trend, var, var_flat)
        # Sparse windows: the Wald variance of a mean estimated from a handful of events (or
        # none) is far too small. Floor it with the Jeffreys (Gamma(S + ½)) predictive of a
        # Poisson rate seen S times in L periods, so "0 for two years, then 3" is not p = 1e-9.
        events = y.sum(axis=1)
        mu = np.fmax(mu, len(rows) * 0.5 / y.shape[1])
        out += [mu, np.fmax(var, mu + mu**2 / (events + 0.5))]
    return _Prediction(*out)


def _tail(
    observed: FloatArray, mu: FloatArray, var: FloatArray, alpha: float, mid_p: bool
) -> tuple[FloatArray, FloatArray]:
    """P(Y ≥ observed) (or its mid-p) and the (1 − alpha) quantile under the matched NB."""
    mu = np.fmax(mu, 1e-9)
    extra = var - mu
    over = extra > 1e-9 * mu
    size = np.where(over, mu**2 / np.where(over, extra, 1.0), 1.0)
    prob = size / (size + mu)
    pvalue = np.where(over, nbinom.sf(observed - 1, size, prob), poisson.sf(observed - 1, mu))
    if mid_p:
        pvalue = pvalue - 0.5 * np.where(
            over, nbinom.pmf(observed, size, prob), poisson.pmf(observed, mu)
        )
    upper = np.where(over, nbinom.ppf(1 - alpha, size, prob), poisson.ppf(1 - alpha, mu))
    return pvalue, upper


def farrington(
    counts: FloatArray,
    period: Period,
    *,
    evaluate_from: int = 0,
    config: FarringtonConfig | None = None,
) -> MethodResult:
    """Score every series at every period from column `evaluate_from` on."""
    config = config or FarringtonConfig()
    season = season_length(period)
    names = ("mu", "var", "pair_mu", "pair_var")
    predicted = {name: empty_like(counts) for name in names}
    n, periods = counts.shape
    first = max(evaluate_from, _MIN_HISTORY[period])
    by_length: dict[int, list[int]] = {}
    for t in range(first, periods):
        by_length.setdefault(min(t - config.guard, _WINDOW[period]), []).append(t)
    for length, times in by_length.items():
        design = _design(length, season, config.guard)
        windows = sliding_window_view(counts, length, axis=1)
        offsets = np.array(times) - length - config.guard
        chunk = max(1, _CELLS_PER_CHUNK // (length * len(times)))
        for lo in range(0, n, chunk):
            y = windows[lo : lo + chunk][:, offsets].reshape(-1, length)
            prediction = _score_windows(y, design, config)
            rows = slice(lo, lo + chunk)
            for name in names:
                block = _place(getattr(prediction, name), len(times), times)
                predicted[name][rows, times[0] : times[-1] + 1] = block
    expected, variance = predicted["mu"], predicted["var"]
    # The tail only where a period was evaluated: the live alarms job evaluates the last
    # two columns of a cube of years, and the negative binomial quantile of every cell was
    # most of its time (measured: 4.0 of 11 s on 6,400 series × 106 weeks).
    evaluated = np.isfinite(expected)
    pvalue, upper = empty_like(counts), empty_like(counts)
    if evaluated.any():
        cell_p, cell_upper = _tail(
            counts[evaluated], expected[evaluated], variance[evaluated], config.alpha, config.mid_p
        )
        pvalue[evaluated], upper[evaluated] = cell_p, cell_upper
    pair: PairTest | None = None
    if config.two_period:
        pair = _pair_test(counts, predicted["pair_mu"], predicted["pair_var"], config)
        pvalue = _simes(pvalue, pair.pvalue)
    pvalue = np.where(evaluated, pvalue, np.nan)
    upper = np.where(evaluated, upper, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = (counts - expected) / np.sqrt(variance)
        rule = pvalue < config.alpha
    fired = guarded(counts, expected, rule)
    return MethodResult(Method.FARRINGTON, expected, upper, score, pvalue, fired, pair)


def _pair_test(
    counts: FloatArray, mu: FloatArray, var: FloatArray, config: FarringtonConfig
) -> PairTest:
    """The sum of each period and the one before it against what the model predicts for both."""
    observed = np.full(counts.shape, np.nan)
    observed[:, 1:] = counts[:, 1:] + counts[:, :-1]
    pvalue, upper = _tail(np.nan_to_num(observed), mu, var, config.alpha / 2, config.mid_p)
    evaluated = np.isfinite(mu) & np.isfinite(observed)
    return PairTest(
        observed=observed,
        expected=mu,
        upper=np.where(evaluated, upper, np.nan),
        pvalue=np.where(evaluated, pvalue, np.nan),
    )


def _simes(single: FloatArray, pair: FloatArray) -> FloatArray:
    """Simes' combination of two p-values: valid under the positive dependence they share."""
    with np.errstate(invalid="ignore"):
        low, high = np.fmin(single, pair), np.fmax(single, pair)
        combined: FloatArray = np.fmin(2 * low, high)
    return np.where(np.isfinite(pair), combined, single)


def _place(values: npt.NDArray[np.float64], count: int, times: list[int]) -> FloatArray:
    """Rows of (series × time) back into a (series, time) block; `times` are consecutive."""
    if times[-1] - times[0] + 1 != count:
        raise ValueError("evaluation times of one window length must be consecutive")
    block: FloatArray = values.reshape(-1, count)
    return block
