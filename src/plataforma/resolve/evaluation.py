"""How good a resolution is against a ground truth: pairwise and B-cubed scores.

Pairwise precision is the share of predicted same-person pairs that truly are one person; it
punishes a false merge of two big clusters heavily, which is what an analyst fears. B-cubed
scores each record by how much of its predicted cluster is truly its own, so it weighs every
record equally however big its cluster is. We report both.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["Scores", "score_clusters"]


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(counts: Mapping[Any, int]) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def score_clusters(predicted: Sequence[str], truth: Sequence[str]) -> Scores:
    """Scores of ``predicted`` cluster labels against ``truth`` labels (same order)."""
    if len(predicted) != len(truth):
        raise ValueError("predicted and truth must label the same records")
    both = Counter(zip(predicted, truth, strict=True))
    by_predicted, by_truth = Counter(predicted), Counter(truth)
    true_pairs = _pairs(both)
    predicted_pairs, truth_pairs = _pairs(by_predicted), _pairs(by_truth)
    precision = true_pairs / predicted_pairs if predicted_pairs else 1.0
    recall = true_pairs / truth_pairs if truth_pairs else 1.0
    n = len(predicted) or 1
    # B-cubed: for a record, |its predicted ∩ its true cluster| over each cluster's size.
    bp = sum(k * k / by_predicted[p] for (p, _), k in both.items()) / n
    br = sum(k * k / by_truth[t] for (_, t), k in both.items()) / n
    return Scores(precision, recall, _f1(precision, recall), bp, br, _f1(bp, br))
