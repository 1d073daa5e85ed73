"""What a CURP says about its holder, read even from a CURP with a typo.

A CURP that fails its check digit is never a match key (two people sharing a typo must not
merge), but most of its characters are still right: the four initials, the birth date, the
sex and the state are evidence a resolver can weigh, field by field, like any other.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from .curp import CURP_STATE_CODES, parse_curp

__all__ = ["CurpEvidence", "curp_evidence"]

_SEPARATORS = str.maketrans("", "", " \t\n\r-.")
_LOOSE = re.compile(r"[A-Z]{4}[0-9]{6}[A-Z0-9]{8}")


@dataclass(frozen=True, slots=True)
class CurpEvidence:
    """The CURP as cleaned (``text``), whether it is valid, and the fields it yields."""

    text: str
    valid: bool
    initials: str | None
    birth_date: dt.date | None
    sex: str | None
    state_code: str | None


def _date(value: str) -> dt.date | None:
    # Without a trustworthy homoclave the century is a guess: the later one unless it is in
    # the future, which a birth date cannot be.
    year = int(value[:2])
    for century in (2000, 1900):
        try:
            born = dt.date(century + year, int(value[2:4]), int(value[4:6]))
        except ValueError:
            return None
        if born <= dt.date.today():
            return born
    return None


@lru_cache(maxsize=1 << 15)
def curp_evidence(raw: str) -> CurpEvidence | None:
    """The evidence in ``raw``; ``None`` when it is not even shaped like a CURP."""
    text = raw.upper().translate(_SEPARATORS)
    parsed = parse_curp(text)
    if parsed.valid and parsed.normalized is not None:
        return CurpEvidence(
            parsed.normalized,
            True,
            parsed.normalized[:4],
            parsed.birth_date,
            str(parsed.sex) if parsed.sex else None,
            parsed.state_code,
        )
    if len(text) != 18 or not _LOOSE.fullmatch(text.replace("Ñ", "X")):
        return None
    sex = text[10] if text[10] in "HMX" else None
    state = text[11:13] if text[11:13] in CURP_STATE_CODES else None
    return CurpEvidence(text, False, text[:4], _date(text[4:10]), sex, state)
