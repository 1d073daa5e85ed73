"""Match weights of many pairs at once, from their level matrix (numpy, no Python loop).

The same weights `Scorer.weight` gives pair by pair (a test checks they agree), computed as
table look-ups over the level matrix training already built, so batch resolution scores its
pairs once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .comparisons import (
    CURP,
    CURP_CONFLICT,
    CURP_SAME,
    DOB,
    DOB_AGREES,
    DOB_DIFFERENT,
    DOCUMENT,
    GIVEN,
    GIVEN_AGREES,
    GIVEN_DIFFERENT,
    PHONE,
    SEX,
    SEX_DIFFERENT,
    SURNAMES,
    SURNAMES_AGREE,
)
from .frequencies import MAX_ADJUSTMENT, TermFrequencies
from .mention import PersonMention
from .model import MatchModel

__all__ = ["PairFlags", "pair_flags", "pair_weights"]


FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
PairFlags = tuple[BoolArray, BoolArray]


def _log_share(counter: dict[str, int], values: list[str], total: int) -> FloatArray:
    shares = np.array([max(counter.get(v, 1), 1) / total for v in values], dtype=np.float64)
    return np.asarray(np.log2(shares), dtype=np.float64)


def _tf_adjustment(
    mentions: Sequence[PersonMention],
    left: npt.NDArray[np.int64],
    levels: npt.NDArray[np.int8],
    model: MatchModel,
    frequencies: TermFrequencies,
) -> FloatArray:
    total = frequencies.total
    given = _log_share(frequencies.given, [m.given for m in mentions], total)
    first = _log_share(frequencies.first, [m.first_surname for m in mentions], total)
    second = _log_share(frequencies.second, [m.second_surname for m in mentions], total)
    adjust = np.zeros(len(left))
    g = levels[:, GIVEN] == 1
    adjust[g] += np.clip(
        np.log2(model.u[GIVEN][1]) - given[left[g]], -MAX_ADJUSTMENT, MAX_ADJUSTMENT
    )
    both = levels[:, SURNAMES] == 1
    adjust[both] += np.clip(
        np.log2(model.u[SURNAMES][1]) - first[left[both]] - second[left[both]],
        -MAX_ADJUSTMENT,
        MAX_ADJUSTMENT,
    )
    one = levels[:, SURNAMES] == 4
    adjust[one] += np.clip(
        np.log2(model.u[SURNAMES][4]) - first[left[one]], -MAX_ADJUSTMENT, MAX_ADJUSTMENT
    )
    return adjust


def pair_weights(
    mentions: Sequence[PersonMention],
    pairs: npt.NDArray[np.int64],
    levels: npt.NDArray[np.int8],
    model: MatchModel,
    frequencies: TermFrequencies,
) -> FloatArray:
    """The match weight of every pair (prior for ``len(mentions)`` included)."""
    total = np.full(len(pairs), model.prior_weight(len(mentions)))
    for c, table in enumerate(model.weights):
        total += np.asarray(table)[levels[:, c]]
    if frequencies.active and len(pairs):
        total += _tf_adjustment(mentions, pairs[:, 0], levels, model, frequencies)
    return total


def pair_flags(
    mentions: Sequence[PersonMention], pairs: npt.NDArray[np.int64], levels: npt.NDArray[np.int8]
) -> PairFlags:
    """(cannot_link, identifying) of every pair, as `scorer.cannot_link`/`identifying` say."""
    curp, document = levels[:, CURP], levels[:, DOCUMENT]
    strong = np.isin(curp, CURP_SAME) | (document == 1)
    conflict = (
        (levels[:, SEX] == SEX_DIFFERENT)
        | (levels[:, GIVEN] == GIVEN_DIFFERENT)
        | (levels[:, DOB] == DOB_DIFFERENT)
    )
    cannot = (curp == CURP_CONFLICT) | (conflict & ~strong)
    identifier = strong | (document == 2) | (levels[:, PHONE] == 1)
    named = np.isin(levels[:, SURNAMES], SURNAMES_AGREE) & (
        np.isin(levels[:, GIVEN], GIVEN_AGREES) | np.isin(levels[:, DOB], DOB_AGREES)
    )
    sparse = np.array([m.sparse for m in mentions], dtype=bool)
    usable = ~(sparse[pairs[:, 0]] | sparse[pairs[:, 1]]) if len(pairs) else np.zeros(0, bool)
    return cannot, (identifier | named) & usable
