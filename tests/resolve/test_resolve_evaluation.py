"""Pairwise and B-cubed scores on tiny known cases."""

from __future__ import annotations

import pytest

from plataforma.resolve.evaluation import score_clusters


def test_perfect() -> None:
    scores = score_clusters(["a", "a", "b"], ["x", "x", "y"])
    assert scores.f1 == 1.0 and scores.bcubed_f1 == 1.0


def test_a_false_merge() -> None:
    scores = score_clusters(["a", "a", "a"], ["x", "x", "y"])
    assert scores.precision == pytest.approx(1 / 3) and scores.recall == 1.0
    assert scores.bcubed_precision == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3)


def test_a_missed_link() -> None:
    scores = score_clusters(["a", "b"], ["x", "x"])
    assert scores.recall == 0.0 and scores.precision == 1.0 and scores.bcubed_recall == 0.5


def test_lengths_must_agree() -> None:
    with pytest.raises(ValueError, match="same records"):
        score_clusters(["a"], [])
