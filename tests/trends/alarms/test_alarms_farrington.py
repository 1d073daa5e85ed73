"""The vectorised GLM agrees with statsmodels, stays calibrated, and finds what it should."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from alarm_helpers import poisson_matrix

from plataforma.trends.alarms.farrington import FarringtonConfig, _design, _irls, farrington
from plataforma.trends.periods import Period


def test_batched_irls_matches_statsmodels_glm() -> None:
    rng = np.random.default_rng(3)
    design = _design(48, 12.0, guard=1)
    truth = np.exp(1.5 + 0.1 * design.full[:, 1] + 0.3 * design.full[:, 3])
    y = rng.poisson(truth, (5, 48)).astype(np.float64)
    start = np.zeros((5, design.full.shape[1]))
    start[:, 0] = np.log(y.mean(axis=1))
    ours = _irls(y, design.full, np.ones_like(y), start, 25)
    for row in range(5):
        fitted = sm.GLM(y[row], design.full, family=sm.families.Poisson()).fit()
        np.testing.assert_allclose(ours.beta[row], fitted.params, rtol=1e-5, atol=1e-6)
        pearson = fitted.pearson_chi2 / fitted.df_resid
        assert abs(ours.phi[row] - max(1.0, pearson)) < 1e-6


@pytest.mark.parametrize(("alpha", "two_period"), [(0.02, False), (0.05, False), (0.02, True)])
def test_false_alarm_rate_on_clean_poisson_series(alpha: float, two_period: bool) -> None:
    counts = poisson_matrix(600, 48, 6.0, seed=4)
    config = FarringtonConfig(alpha=alpha, two_period=two_period)
    result = farrington(counts, Period.MONTH, evaluate_from=24, config=config)
    assert np.isfinite(result.expected[:, 24:]).all() and np.isnan(result.expected[:, :12]).all()
    rate = result.fired[:, 24:].mean()
    # Mid-p; discreteness and the guard keep it near alpha (Simes keeps the pair test there).
    assert rate < 1.25 * alpha
    assert abs(np.nanmedian(result.expected[:, 24:]) - 6.0) < 0.5


def test_an_outbreak_is_found_and_explained() -> None:
    counts = poisson_matrix(1, 48, 10.0, seed=5)
    counts[0, 40] += 20
    result = farrington(counts, Period.MONTH, evaluate_from=40, config=FarringtonConfig())
    assert result.fired[0, 40]
    assert result.expected[0, 40] < counts[0, 40] and result.upper[0, 40] < counts[0, 40]
    assert result.pvalue[0, 40] < 1e-4 and result.score[0, 40] > 3


def test_a_past_outbreak_is_down_weighted() -> None:
    counts = poisson_matrix(1, 48, 10.0, seed=6)
    counts[0, 30:33] += 60  # last year's surge
    result = farrington(counts, Period.MONTH, evaluate_from=45)
    assert result.expected[0, 45] < 14  # the surge does not lift this year's baseline


def test_zero_heavy_series_do_not_alarm_on_noise() -> None:
    counts = np.zeros((3, 36))
    counts[0, 30] = 1  # 0 → 1
    counts[1, 30] = 2
    counts[2, 10] = 1
    counts[2, 30] = 4  # a real jump from nothing: allowed to alarm
    result = farrington(counts, Period.MONTH, evaluate_from=24)
    assert not result.fired[0].any() and not result.fired[1].any()
    assert result.fired[2, 30]


def test_the_two_period_test_finds_a_moderate_rise_that_lasts() -> None:
    counts = poisson_matrix(1, 48, 20.0, seed=8)
    counts[0, 40:42] += 10  # about 2 SD each month: weak alone, strong together
    single = farrington(counts, Period.MONTH, evaluate_from=40, config=FarringtonConfig(alpha=0.02))
    both = farrington(
        counts, Period.MONTH, evaluate_from=40, config=FarringtonConfig(alpha=0.02, two_period=True)
    )
    assert single.pair is None and both.pair is not None
    assert both.pair.observed[0, 41] == counts[0, 40] + counts[0, 41]
    assert abs(both.pair.expected[0, 41] - 40) < 8
    assert both.pair.pvalue[0, 41] < single.pvalue[0, 41]
    assert both.pvalue[0, 41] <= 2 * both.pair.pvalue[0, 41] + 1e-12
