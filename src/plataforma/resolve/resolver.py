"""The resolver: mentions and judgements in, persons with scores and explanations out.

Batch resolution (a file, or the whole store) runs: block → compare once into a level matrix
→ train (unless a model is given or the input is too small) → weigh → cluster. The result
keeps the model, the scored pairs and a scorer, so any link can be explained afterwards
(the review queue shows exactly these explanations).

The real-time path is `resolve.index.PersonIndex`: the same comparisons, model and
clustering rules, one mention at a time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from .batch_weights import pair_flags, pair_weights
from .blocking import DEFAULT_MAX_BLOCK, BlockIndex
from .clustering import ClusterSettings, cluster_links
from .frequencies import TermFrequencies
from .judgements import Judgement, Verdict
from .levels import level_matrix
from .mention import PersonMention
from .model import MatchModel, default_model
from .scorer import PairScore, Scorer, cannot_link, probability_of
from .training import train

__all__ = ["Resolution", "ResolveSettings", "Resolver"]

logger = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class ResolveSettings:
    """How the resolver decides; the defaults are what ``plataforma resolve`` uses."""

    train: bool = True
    max_block: int = DEFAULT_MAX_BLOCK
    clustering: ClusterSettings = field(default_factory=ClusterSettings)


@dataclass(frozen=True)
class Resolution:
    """The outcome of a batch: for each mention (input order) its person and match score."""

    mentions: Sequence[PersonMention]
    person_ids: list[str]
    match_scores: list[float]
    model: MatchModel
    pairs: npt.NDArray[np.int64]
    weights: npt.NDArray[np.float64]
    scorer: Scorer

    def explain(self, i: int, j: int) -> PairScore:
        """The full score of mentions ``i`` and ``j`` (positions), with per-field weights."""
        return self.scorer.score(self.mentions[i], self.mentions[j])


def _noop(stage: str, done: int, total: int) -> None:
    return None


class Resolver:
    """Resolves batches of mentions; give it a model to skip training."""

    def __init__(
        self, model: MatchModel | None = None, settings: ResolveSettings | None = None
    ) -> None:
        self.model = model
        self.settings = settings or ResolveSettings()

    def resolve(
        self,
        mentions: Sequence[PersonMention],
        judgements: Iterable[Judgement] = (),
        progress: Progress = _noop,
    ) -> Resolution:
        n = len(mentions)
        index = BlockIndex(self.settings.max_block)
        index.extend(mentions)
        pairs = index.pairs()
        progress("blocked", len(pairs), len(pairs))
        levels = level_matrix(mentions, pairs)
        progress("compared", len(pairs), len(pairs))
        model = self.model or default_model()
        if self.model is None and self.settings.train:
            model = train(mentions, pairs, model, levels=levels)
            progress("trained", 1, 1)
        frequencies = TermFrequencies(mentions)
        weights = pair_weights(mentions, pairs, levels, model, frequencies)
        cannot, usable = pair_flags(mentions, pairs, levels)
        scorer = Scorer(model, frequencies, n)
        # Pair weights by code i * n + j (i < j): the group checks look most pairs up here.
        codes = (pairs[:, 0] * n + pairs[:, 1]).tolist() if len(pairs) else []
        known: dict[int, tuple[float, bool]] = dict(
            zip(codes, zip(weights.tolist(), cannot.tolist(), strict=True), strict=True)
        )

        def weigh(i: int, j: int) -> tuple[float, bool]:
            low, high = (i, j) if i < j else (j, i)
            code = low * n + high
            found = known.get(code)
            if found is None:
                weight, pair_levels = scorer.weight(mentions[low], mentions[high])
                found = known[code] = (weight, cannot_link(pair_levels))
            return found

        keep = usable & ~cannot & (weights >= self.settings.clustering.link_weight)
        links = zip(
            weights[keep].tolist(), pairs[keep, 0].tolist(), pairs[keep, 1].tolist(), strict=True
        )
        same, not_same = _judged(mentions, judgements)
        oldest = cluster_links(
            [m.order for m in mentions], links, weigh, same, not_same, self.settings.clustering
        )
        progress("clustered", n, n)
        scores = _strongest_links(n, pairs, weights, oldest)
        return Resolution(
            mentions,
            [mentions[k].record_id for k in oldest],
            scores,
            model,
            pairs,
            weights,
            scorer,
        )


def _judged(
    mentions: Sequence[PersonMention], judgements: Iterable[Judgement]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    position = {m.record_id: i for i, m in enumerate(mentions)}
    same, not_same = [], []
    for judgement in judgements:
        i, j = position.get(judgement.left), position.get(judgement.right)
        if i is None or j is None or i == j:
            continue
        if judgement.verdict is Verdict.SAME:
            same.append((i, j))
        elif judgement.verdict is Verdict.NOT_SAME:
            not_same.append((i, j))
    return same, not_same


def _strongest_links(
    n: int, pairs: npt.NDArray[np.int64], weights: npt.NDArray[np.float64], oldest: list[int]
) -> list[float]:
    """Each mention's strongest link inside its cluster; for a lone mention, its strongest
    link to anyone (below the threshold, or refused by the checks: worth a review)."""
    inside = np.full(n, -np.inf)
    anywhere = np.full(n, -np.inf)
    if len(pairs):
        left, right = pairs[:, 0], pairs[:, 1]
        cluster = np.asarray(oldest)
        same = cluster[left] == cluster[right]
        for side in (left, right):
            np.maximum.at(anywhere, side, weights)
            np.maximum.at(inside, side[same], weights[same])
    cluster_of = np.asarray(oldest, dtype=np.int64)
    sizes = np.bincount(cluster_of, minlength=n)
    best = np.where(sizes[cluster_of] > 1, inside, anywhere)
    return [0.0 if not np.isfinite(w) else round(probability_of(float(w)), 6) for w in best]
