"""CompStat's change test: the vectorised form equals scipy's exact binomial test."""

from __future__ import annotations

import numpy as np
from scipy.stats import binomtest

from plataforma.trends.compstat import poisson_change_test, poisson_change_tests


def test_the_vectorised_test_is_scipys_exact_binomial_test() -> None:
    rng = np.random.default_rng(0)
    current, previous = rng.integers(0, 80, 2000), rng.integers(0, 80, 2000)
    expected = [
        binomtest(int(a), int(a + b), 0.5).pvalue if a + b else 1.0
        for a, b in zip(current, previous, strict=True)
    ]
    assert np.allclose(poisson_change_tests(current, previous), expected, rtol=1e-9, atol=1e-12)


def test_small_counts_are_not_significant_and_equal_counts_are_one() -> None:
    assert poisson_change_test(0, 0) == 1.0
    assert poisson_change_test(7, 7) == 1.0
    assert poisson_change_test(4, 2) > 0.5  # "+100 %" on small counts is chance
    assert poisson_change_test(40, 10) < 1e-4
