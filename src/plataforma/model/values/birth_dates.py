"""How two written dates of birth relate, in the ways clerks get them wrong.

Day and month swapped (02/05 for 05/02: US and Mexican orders meet in the same databases),
one digit mistyped, the year off by one (an age converted to a year), or only the year known.
Each relation is a separate kind, because each is a different amount of evidence: an exact
date is strong, a swapped one almost as strong, "same year" weak.
"""

from __future__ import annotations

from enum import IntEnum

from .dates import PartialDate

__all__ = ["DobRelation", "dob_relation"]


class DobRelation(IntEnum):
    """From strongest to weakest agreement; ``MISSING`` when either date is unknown."""

    MISSING = 0
    EXACT = 1
    SWAPPED_DAY_MONTH = 2
    ONE_DIGIT = 3
    YEAR_OFF_BY_ONE = 4
    PARTIAL_AGREES = 5
    WITHIN_TWO_YEARS = 6
    DIFFERENT = 7


def _digit_differences(a: PartialDate, b: PartialDate) -> int:
    """How many of the eight digits of YYYYMMDD differ (arithmetic: no string formatting)."""
    x = a.year * 10_000 + (a.month or 0) * 100 + (a.day or 0)
    y = b.year * 10_000 + (b.month or 0) * 100 + (b.day or 0)
    differ = 0
    while x or y:
        differ += x % 10 != y % 10
        x //= 10
        y //= 10
    return differ


def dob_relation(a: PartialDate | None, b: PartialDate | None) -> DobRelation:
    """The strongest relation that holds between two dates of birth."""
    if a is None or b is None:
        return DobRelation.MISSING
    ay, am, ad, by, bm, bd = a.year, a.month, a.day, b.year, b.month, b.day
    if ad is None or bd is None or am is None or bm is None:
        # A partial date agrees when every part it knows agrees.
        if ay != by:
            return DobRelation.WITHIN_TWO_YEARS if abs(ay - by) <= 2 else DobRelation.DIFFERENT
        if am is not None and bm is not None and am != bm:
            return DobRelation.WITHIN_TWO_YEARS
        return DobRelation.PARTIAL_AGREES
    # Field by field rather than through the dataclass: this runs for every compared pair.
    if ay == by:
        if am == bm and ad == bd:
            return DobRelation.EXACT
        if am == bd and ad == bm:
            return DobRelation.SWAPPED_DAY_MONTH
        if _digit_differences(a, b) == 1:
            return DobRelation.ONE_DIGIT
        return DobRelation.WITHIN_TWO_YEARS
    if am == bm and ad == bd:
        if _digit_differences(a, b) == 1:
            return DobRelation.ONE_DIGIT
        if abs(ay - by) == 1:
            return DobRelation.YEAR_OFF_BY_ONE
    return DobRelation.WITHIN_TWO_YEARS if abs(ay - by) <= 2 else DobRelation.DIFFERENT
