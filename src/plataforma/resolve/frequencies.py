"""Term frequencies of names: a match on "Hernández" weighs less than a match on "Zarza".

Counted over the mentions being resolved (a file, or the national index as it grows: counts
are incremental). Below ``MIN_POPULATION`` mentions the counts say more about the sample than
about the country, so no adjustment is made and the level's average weight stands.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from .mention import PersonMention

__all__ = ["MAX_ADJUSTMENT", "MIN_POPULATION", "TermFrequencies"]

MIN_POPULATION = 1000
# A very rare name may add at most this many bits: a unique spelling is often a typo.
MAX_ADJUSTMENT = 4.0


class TermFrequencies:
    """Counts of given names and surnames; adjustments in bits (log2)."""

    def __init__(self, mentions: Iterable[PersonMention] = ()) -> None:
        self.given: Counter[str] = Counter()
        self.first: Counter[str] = Counter()
        self.second: Counter[str] = Counter()
        self.total = 0
        for mention in mentions:
            self.add(mention)

    def add(self, mention: PersonMention) -> None:
        self.total += 1
        if mention.given:
            self.given[mention.given] += 1
        if mention.first_surname:
            self.first[mention.first_surname] += 1
        if mention.second_surname:
            self.second[mention.second_surname] += 1

    def _share(self, counter: Counter[str], value: str) -> float:
        return max(counter.get(value, 1), 1) / self.total

    def adjustment(self, u_level: float, *shares: float) -> float:
        """log2(u of the level / the chance of agreeing on this value), bounded."""
        chance = math.prod(shares)
        return max(-MAX_ADJUSTMENT, min(MAX_ADJUSTMENT, math.log2(u_level / chance)))

    @property
    def active(self) -> bool:
        return self.total >= MIN_POPULATION

    def given_share(self, value: str) -> float:
        return self._share(self.given, value)

    def first_share(self, value: str) -> float:
        return self._share(self.first, value)

    def second_share(self, value: str) -> float:
        return self._share(self.second, value)
