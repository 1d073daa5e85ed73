"""Training: u from random pairs, m by expectation–maximisation over the blocked pairs.

Why our own EM and not Splink's estimator: the comparisons are Python functions over
prepared mentions (nickname forms, CURP evidence, date-error kinds) that Splink's SQL cannot
express without re-implementing them as UDFs, and the real-time scorer must use exactly the
levels it was trained on. The EM itself is a few vectorised numpy lines over a level matrix:
~0.1 s for 100k pairs.

The method is Splink's: u is counted on pairs drawn at random (almost all non-matches); m is
estimated by EM on the blocked pairs, where EM also fits a separate u for the non-matches
*among blocked pairs* (they agree far more than random pairs: that is why they were
blocked), and only m and the match rate are kept. Every estimate is pulled towards the
shipped defaults by pseudo-counts, so a small file cannot train itself into nonsense, and a
file too small to learn from keeps the defaults.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .comparisons import COMPARISONS, CURP, DOCUMENT
from .levels import LevelMatrix, level_matrix
from .mention import PersonMention
from .model import MatchModel

__all__ = ["MIN_TRAINING_MENTIONS", "train"]

logger = logging.getLogger(__name__)

MIN_TRAINING_MENTIONS = 500
_U_PSEUDO_PAIRS = 1000.0
_M_PSEUDO_PAIRS = 200.0
_RANDOM_PAIRS = 20_000

Probabilities = tuple[tuple[float, ...], ...]


def _counts(levels: LevelMatrix, weights: npt.NDArray[np.float64] | None) -> list[np.ndarray]:
    return [
        np.bincount(levels[:, c], weights=weights, minlength=len(comp.levels)).astype(float)
        for c, comp in enumerate(COMPARISONS)
    ]


def _smoothed(counts: list[np.ndarray], prior: Probabilities, pseudo: float) -> Probabilities:
    """Level shares among known levels, pulled towards ``prior`` by ``pseudo`` pairs."""
    result = []
    for count, base in zip(counts, prior, strict=True):
        known = count[1:]
        base_known = np.asarray(base[1:], dtype=float)
        base_known = base_known / base_known.sum()
        shares = (known + pseudo * base_known) / (known.sum() + pseudo)
        result.append((1.0, *(float(s) for s in shares)))
    return tuple(result)


def estimate_u(
    mentions: Sequence[PersonMention], prior: Probabilities, rng: np.random.Generator
) -> Probabilities:
    """u of every level, counted on random pairs (smoothed towards the defaults)."""
    n = len(mentions)
    size = min(_RANDOM_PAIRS, n * (n - 1) // 2)
    left = rng.integers(0, n, size)
    right = rng.integers(0, n - 1, size)
    right = right + (right >= left)  # never a record with itself
    levels = level_matrix(mentions, np.stack((left, right), axis=1))
    # A random pair sharing a valid CURP or a document is one person (RENAPO issues one CURP
    # per person): counting it would make u of those levels the duplicate rate of the file.
    certain = (levels[:, CURP] == 1) | (levels[:, DOCUMENT] == 1)
    return _smoothed(_counts(levels[~certain], None), prior, _U_PSEUDO_PAIRS)


def _log(table: Probabilities) -> list[np.ndarray]:
    return [np.log(np.maximum(np.asarray(t, dtype=float), 1e-12)) for t in table]


def _log_likelihood(levels: LevelMatrix, log_table: list[np.ndarray]) -> np.ndarray:
    total = np.zeros(len(levels))
    for c, table in enumerate(log_table):
        total += table[levels[:, c]]
    return total


def estimate_m(
    levels: LevelMatrix, base: MatchModel, u_blocked: Probabilities, iterations: int = 30
) -> tuple[Probabilities, float]:
    """m of every level and the share of blocked pairs that match, by EM."""
    m, u = base.m, u_blocked
    share = 0.3
    for _ in range(iterations):
        odds = _log_likelihood(levels, _log(m)) - _log_likelihood(levels, _log(u))
        logit = np.clip(odds + np.log(share / (1 - share)), -50, 50)
        posterior = 1.0 / (1.0 + np.exp(-logit))
        new_share = float(np.clip(posterior.mean(), 1e-6, 1 - 1e-6))
        m = _smoothed(_counts(levels, posterior), base.m, _M_PSEUDO_PAIRS)
        u = _smoothed(_counts(levels, 1.0 - posterior), u_blocked, _M_PSEUDO_PAIRS)
        converged = abs(new_share - share) < 1e-5
        share = new_share
        if converged:
            break
    return m, share


def train(
    mentions: Sequence[PersonMention],
    pairs: npt.NDArray[np.int64],
    base: MatchModel,
    levels: LevelMatrix | None = None,
    seed: int = 0,
) -> MatchModel:
    """A model trained on ``mentions`` and their blocked ``pairs``; ``base`` when too few."""
    n = len(mentions)
    if n < MIN_TRAINING_MENTIONS or len(pairs) < MIN_TRAINING_MENTIONS // 5:
        logger.info(
            "resolve: %d mentions, %d pairs: too few to train, defaults kept", n, len(pairs)
        )
        return base
    rng = np.random.default_rng(seed)
    u = estimate_u(mentions, base.u, rng)
    if levels is None:
        levels = level_matrix(mentions, pairs)
    # EM's non-match distribution starts from the random pairs' and moves towards the
    # blocked non-matches' (starting it from the blocked pairs' own shares, matches
    # included, lets EM explain everything as non-matches and collapse).
    m, share = estimate_m(levels, base, u)
    matches_per_record = max(0.05, 2.0 * share * len(pairs) / n)
    return base.with_probabilities(
        m=m,
        u=u,
        matches_per_record=matches_per_record,
        source="trained",
        mentions=n,
        blocked_pairs=len(pairs),
        blocked_match_share=round(share, 5),
    )
