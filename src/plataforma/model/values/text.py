"""Accent and punctuation folding shared by every name-like key.

Clerks type "Peña", "PENA", "peña." and "PEÑA" for the same surname; keys must agree. Bulk
imports run at ~20k rows/s, so the common ASCII case is a single `str.translate` and the
Unicode path only runs for strings that need it.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from anyascii import anyascii

__all__ = ["ascii_key", "fold_accents", "normalize_text"]

# Apostrophes and dots join ("O'Brien", "Ma."); every other non-alphanumeric ASCII separates
# ("Pérez-García" keeps two tokens).
_JOINERS = frozenset("'.`")
_ASCII_TABLE: dict[int, str | None] = {
    cp: (None if chr(cp) in _JOINERS else " ") for cp in range(128) if not chr(cp).isalnum()
}


def _decompose_upper(s: str) -> str:
    # Decompose before and after upper-casing: some characters only reveal their base letter
    # after one of the two steps (e.g. "ª" → "a" → "A").
    s = unicodedata.normalize("NFKD", s).upper()
    return unicodedata.normalize("NFKD", s)


def _drop_marks(s: str) -> str:
    return "".join(c for c in s if not unicodedata.category(c).startswith("M"))


def fold_accents(s: str) -> str:
    """Uppercase and strip diacritics (Ñ → N), leaving punctuation alone."""
    if s.isascii():
        return s.upper()
    return _drop_marks(_decompose_upper(s))


@lru_cache(maxsize=1 << 17)
def normalize_text(s: str) -> str:
    """Fold a name-like string to its matching form.

    Cached: names repeat heavily (a few thousand given names and surnames cover most people),
    and bulk imports call this several times per row.

    Uppercase, no accents (Ñ → N), apostrophes and dots removed, other punctuation turned into
    spaces, whitespace collapsed. Idempotent.
    """
    if s.isascii():
        return " ".join(s.upper().translate(_ASCII_TABLE).split())
    s = _decompose_upper(s).translate(_ASCII_TABLE)
    s = "".join(
        c if c.isalnum() or c == " " else ("" if unicodedata.category(c)[0] == "M" else " ")
        for c in s
    )
    return " ".join(s.split())


@lru_cache(maxsize=1 << 17)
def ascii_key(s: str) -> str:
    """`normalize_text`, then every letter in ASCII: the comparison form of any script.

    Names arrive in Cyrillic, Greek, Arabic or Chinese as well as Latin; transliterating them
    (with anyascii's tables) lets two records of "Владимир" and "Vladimir" compare, and keeps
    every key printable. Latin names are unchanged by the second step.
    """
    folded = normalize_text(s)
    if folded.isascii():
        return folded
    return normalize_text(anyascii(folded))
