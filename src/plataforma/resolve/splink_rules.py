"""The hard rules (`scorer.cannot_link`, `scorer.identifying`) as SQL over Splink's gammas.

Splink numbers the levels of a comparison from the bottom (the else level is 0, the null
level -1); `splink_levels` lists ours top-down, with some of our levels reached by two
conditions. `gamma_values` maps our level numbers to Splink's, so the rules are written with
the same named level sets the built-in engine reads (`comparisons.CURP_SAME`, …) and cannot
drift from them.
"""

from __future__ import annotations

from collections.abc import Iterable

from .comparisons import (
    CURP_CONFLICT,
    CURP_SAME,
    DOB_AGREES,
    DOB_DIFFERENT,
    GIVEN_AGREES,
    GIVEN_DIFFERENT,
    SEX_DIFFERENT,
    SURNAMES_AGREE,
)
from .splink_levels import LEVELS

__all__ = ["allowed_link_sql", "gamma_values", "our_level"]

_BY_NAME = dict(LEVELS)


def gamma_values(comparison: str, ours: Iterable[int]) -> list[int]:
    """Splink's comparison vector values of the levels that are our ``ours``."""
    wanted = set(ours)
    levels = [our for our, _, _ in _BY_NAME[comparison] if our != 0]
    top = len(levels) - 1
    return [top - k for k, our in enumerate(levels) if our in wanted]


def our_level(comparison: str, gamma: int) -> int:
    """Our level number of one of Splink's comparison vector values (-1 → 0, unknown)."""
    if gamma < 0:
        return 0
    levels = [our for our, _, _ in _BY_NAME[comparison] if our != 0]
    return levels[len(levels) - 1 - gamma]


def _is(comparison: str, ours: Iterable[int]) -> str:
    values = ", ".join(str(g) for g in gamma_values(comparison, ours))
    return f"gamma_{comparison} IN ({values})"


def allowed_link_sql() -> str:
    """True for a predicted pair the built-in engine would let link (before thresholds):
    identifying, neither side sparse, and not a pair that can never be one person."""
    strong = f"({_is('curp', CURP_SAME)} OR {_is('document', (1,))})"
    conflict = (
        f"({_is('sex', (SEX_DIFFERENT,))} OR {_is('given_name', (GIVEN_DIFFERENT,))}"
        f" OR {_is('date_of_birth', (DOB_DIFFERENT,))})"
    )
    cannot = f"({_is('curp', (CURP_CONFLICT,))} OR ({conflict} AND NOT {strong}))"
    identifier = f"({strong} OR {_is('document', (2,))} OR {_is('phone', (1,))})"
    named = (
        f"({_is('surnames', SURNAMES_AGREE)} AND ({_is('given_name', GIVEN_AGREES)}"
        f" OR {_is('date_of_birth', DOB_AGREES)}))"
    )
    return f"(NOT sparse_l AND NOT sparse_r AND ({identifier} OR {named}) AND NOT {cannot})"
