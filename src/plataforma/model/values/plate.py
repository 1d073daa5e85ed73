"""Vehicle licence plates as witnesses and officers write them down.

Plates are written "ABC-123-D", "abc 123 d" or "ABC123D"; the separators carry no meaning,
so the key drops them. Beside the exact key a plate has a *skeleton* (``confusable``): the
key with O/0/Q/D, I/1/L, S/5, B/8, Z/2 and G/6 folded, which finds the plate a camera or a
hurried officer misread, as a possible match only. The same plate string is issued by several
states, so the match key deliberately ignores the state: a hit in another state is still a
lead, and the inquiry shows each hit's state so the officer can judge it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .base import Identifier
from .confusable import skeleton
from .text import fold_accents

__all__ = ["Plate", "parse_plate"]

_SEPARATORS = str.maketrans("", "", " \t\n\r-.")
_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


@dataclass(frozen=True, slots=True)
class Plate(Identifier):
    """A plate; `state` is the issuing state as given (not part of the match key)."""

    state: str | None

    @property
    def skeleton_key(self) -> str | None:
        """The confusion-folded key (a possible match, never a confirmed one); None if invalid."""
        key = self.match_key
        return skeleton(key) if key else None


# A record's keys and its flags both parse the same identifier: the small cache makes the
# second parse free. Results are immutable, so sharing them is safe.
@lru_cache(maxsize=4096)
def parse_plate(raw: str, state: str | None = None) -> Plate:
    """Parse a plate as typed; never raises."""
    raw = raw.strip()
    state = (state.strip() or None) if state else None
    value = fold_accents(raw).translate(_SEPARATORS)
    problem: str | None = None
    if not value:
        problem = "empty"
    elif not _ALNUM.issuperset(value):
        problem = "unexpected characters"
    elif not 5 <= len(value) <= 8:
        problem = "not 5 to 8 characters"
    elif not any(c.isdigit() for c in value):
        problem = "no digits"
    elif skeleton(value).strip("0") == "":  # "000-000", and "OOO-000" read as it
        problem = "placeholder (all zeros)"
    return Plate(raw, None if problem else value, problem, state)
