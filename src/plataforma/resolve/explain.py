"""A batch resolution's links explained as the link rows store them.

After `Resolver` has clustered a batch (the whole store, or the persons a judgement touched),
each mention's link names its strongest scored partner inside its person and that pair's
per-field weights, the same shape the consumer writes on arrival.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .resolver import Resolution

__all__ = ["explanation_against", "partners_in_person"]


def explanation_against(resolution: Resolution, i: int, partner: int | None) -> dict[str, Any]:
    """Mention ``i``'s per-field weights against ``partner`` (none: a person alone)."""
    if partner is None:
        return {"against": None, "fields": []}
    score = resolution.explain(i, partner)
    return {
        "against": resolution.mentions[partner].record_id,
        "weight": round(score.weight, 3),
        "fields": [
            {"comparison": f.comparison, "level": f.level, "weight": f.weight}
            for f in score.explanation
        ],
    }


def partners_in_person(resolution: Resolution) -> list[int | None]:
    """Each mention's strongest scored partner inside its person (``None`` when alone or
    when it joined only through an analyst's "same" judgement, with no scored pair)."""
    n = len(resolution.mentions)
    best: list[int | None] = [None] * n
    best_weight = np.full(n, -np.inf)
    person = resolution.person_ids
    for (i, j), w in zip(resolution.pairs.tolist(), resolution.weights.tolist(), strict=True):
        if person[i] != person[j]:
            continue
        if w > best_weight[i]:
            best_weight[i], best[i] = w, j
        if w > best_weight[j]:
            best_weight[j], best[j] = w, i
    return best
