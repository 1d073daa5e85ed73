"""Analysts' judgements, passed to the resolver as data (nomenklatura's idea).

A judgement is about two records, not two clusters, so it survives re-resolution: "these two
are the same person" forces them together; "not the same" keeps them apart for ever, and no
score overrides it. The store and the review queue keep them; the resolver only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Judgement", "Verdict"]


class Verdict(StrEnum):
    SAME = "same"
    NOT_SAME = "not_same"
    UNSURE = "unsure"


@dataclass(frozen=True, slots=True)
class Judgement:
    """An analyst's verdict on two records (order does not matter)."""

    left: str
    right: str
    verdict: Verdict

    @property
    def key(self) -> tuple[str, str]:
        return (self.left, self.right) if self.left <= self.right else (self.right, self.left)
