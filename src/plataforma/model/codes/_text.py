"""Lookup keys and codes derived from what people type.

Clerks write "Michoacán", "MICHOACAN" and "michoacan." for the same thing, so every table is
indexed by one folded key. Bulk imports resolve ~20k rows/s and repeat the same few hundred
values, hence the cache in front of the Unicode work.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "slugify"]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def _ascii_lower(value: str) -> str:
    if value.isascii():
        return value.lower()
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=65536)
def fold(value: str) -> str:
    """Accent-, case- and punctuation-insensitive key: "Edo. de México" -> "edo de mexico"."""
    return _NON_ALNUM.sub(" ", _ascii_lower(value)).strip()


def slugify(label: str) -> str:
    """The snake_case ASCII code of a published label: "Robo a casa habitación" ->
    "robo_a_casa_habitacion".

    Deterministic so that a code can be re-derived from SESNSP's label by anyone, and a new
    label published upstream gets a predictable code.
    """
    return _NON_ALNUM.sub("_", _ascii_lower(label)).strip("_")
