"""Score a pair of mentions: a match weight, a probability and the weight of every field.

The weight is the sum of each comparison's log2(m/u) at the pair's level, plus the prior for
the population the pair was drawn from, plus the name-frequency adjustments. The per-field
weights are kept, because an analyst must see *why* two records were linked ("CURP +20.3,
surnames +11.2, date of birth swapped +9.1, municipality -0.3").

The hard rules live here too: what may never be linked (two valid CURPs that differ, a
different sex without an identifier to outweigh it) and what is too little to link on
(a record with no surname and no identifier; a pair agreeing on nothing that identifies).
"""

from __future__ import annotations

from dataclasses import dataclass

from .comparisons import (
    COMPARISONS,
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
    comparison_levels,
)
from .frequencies import TermFrequencies
from .mention import PersonMention
from .model import MatchModel

__all__ = ["FieldWeight", "PairScore", "Scorer", "probability_of"]


def probability_of(weight: float) -> float:
    """Match probability of a match weight (log2 odds)."""
    if weight > 60:
        return 1.0
    if weight < -60:
        return 0.0
    return 1.0 / (1.0 + float(2.0 ** (-weight)))


@dataclass(frozen=True, slots=True)
class FieldWeight:
    """One line of an explanation: the comparison, the level the pair fell in, its weight."""

    comparison: str
    level: str
    weight: float


@dataclass(frozen=True, slots=True)
class PairScore:
    """The score of one pair; ``explanation`` lists every field that was known on both sides."""

    weight: float
    probability: float
    levels: tuple[int, ...]
    explanation: tuple[FieldWeight, ...]
    cannot_link: bool
    identifying: bool


def cannot_link(levels: list[int] | tuple[int, ...]) -> bool:
    """Pairs that are never one person, whatever else agrees.

    Two valid CURPs that differ (RENAPO issues one per person). Without a CURP or document
    that agrees: a different sex, given names that share nothing (not a nickname, part,
    spelling or initial of each other), or dates of birth years apart. Those are exactly
    the relatives who share everything else (twins, a father and a son of one name, living
    at one address), where adding up the other fields' weights would merge them.
    """
    if levels[CURP] == CURP_CONFLICT:
        return True
    if levels[CURP] in CURP_SAME or levels[DOCUMENT] == 1:
        return False
    return (
        levels[SEX] == SEX_DIFFERENT
        or levels[GIVEN] == GIVEN_DIFFERENT
        or levels[DOB] == DOB_DIFFERENT
    )


def identifying(levels: list[int] | tuple[int, ...]) -> bool:
    """Whether a pair agrees on something that can tell one person from another.

    An identifier (CURP, document, phone), or a surname together with a given name or a date
    of birth. A given name and a birth year alone never link, however the weights add up.
    """
    if levels[CURP] in CURP_SAME or levels[DOCUMENT] in (1, 2) or levels[PHONE] == 1:
        return True
    return levels[SURNAMES] in SURNAMES_AGREE and (
        levels[GIVEN] in GIVEN_AGREES or levels[DOB] in DOB_AGREES
    )


class Scorer:
    """Scores pairs with a model, name frequencies and the population size for the prior."""

    def __init__(self, model: MatchModel, frequencies: TermFrequencies, population: int) -> None:
        self.model = model
        self.frequencies = frequencies
        self.population = population
        self.prior = model.prior_weight(population)
        self._weights = model.weights

    def set_population(self, population: int) -> None:
        """The index grew: the prior of a random pair matching shrinks with it."""
        self.population = population
        self.prior = self.model.prior_weight(population)

    def _tf(self, a: PersonMention, levels: list[int]) -> tuple[float, float]:
        """Frequency adjustments of the given-name and surname weights."""
        tf, u = self.frequencies, self.model.u
        given = surnames = 0.0
        if levels[GIVEN] == 1:
            given = tf.adjustment(u[GIVEN][1], tf.given_share(a.given))
        level = levels[SURNAMES]
        if level == 1:
            surnames = tf.adjustment(
                u[SURNAMES][1],
                tf.first_share(a.first_surname),
                tf.second_share(a.second_surname),
            )
        elif level == 4:
            surnames = tf.adjustment(u[SURNAMES][4], tf.first_share(a.first_surname))
        return given, surnames

    def weight(self, a: PersonMention, b: PersonMention) -> tuple[float, list[int]]:
        """The match weight of a pair and its levels (the fast path: no explanation)."""
        levels = comparison_levels(a, b)
        total = self.prior
        for table, level in zip(self._weights, levels, strict=True):
            total += table[level]
        if self.frequencies.active:
            given, surnames = self._tf(a, levels)
            total += given + surnames
        return total, levels

    def score(self, a: PersonMention, b: PersonMention) -> PairScore:
        """The full score of a pair, with its explanation."""
        total, levels = self.weight(a, b)
        given_tf, surname_tf = self._tf(a, levels) if self.frequencies.active else (0.0, 0.0)
        explanation = [FieldWeight("prior", f"population {self.population}", self.prior)]
        for i, (comparison, level) in enumerate(zip(COMPARISONS, levels, strict=True)):
            if level == 0:
                continue
            adjust = given_tf if i == GIVEN else surname_tf if i == SURNAMES else 0.0
            explanation.append(
                FieldWeight(
                    comparison.name,
                    comparison.levels[level],
                    round(self._weights[i][level] + adjust, 3),
                )
            )
        return PairScore(
            total,
            probability_of(total),
            tuple(levels),
            tuple(explanation),
            cannot_link(levels),
            identifying(levels) and not (a.sparse or b.sparse),
        )
