"""A phonetic key for Spanish names: spellings that sound alike share it.

English phonetic codes (Soundex, Metaphone) treat "V" and "B", "Z" and "S", "LL" and "Y" as
different sounds; in Mexican Spanish they are the same, and clerks who write what they hear
mix them ("Vázquez"/"Basquez", "Yáñez"/"Llanes", "Jiménez"/"Giménez"). This key writes the
sounds, keeps the first sound, and drops the later vowels, which typists get wrong most.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import ascii_key

__all__ = ["phonetic_key"]

# Ordered rewrites on the matching form (uppercase ASCII). "NN" is how keyboards without Ñ
# write it ("PENNA" for Peña), so it sounds as one N.
_RULES = [
    (re.compile(r"[^A-Z]"), ""),
    (re.compile(r"^H"), ""),
    (re.compile(r"([^CS])H"), r"\1"),
    (re.compile(r"CH"), "C"),  # one sound; written "C" after the other C rules ran
    (re.compile(r"SH"), "C"),
    (re.compile(r"QU([EI])"), r"K\1"),
    (re.compile(r"C([EI])"), r"S\1"),
    (re.compile(r"G([EI])"), r"J\1"),
    (re.compile(r"GU([EI])"), r"G\1"),
    (re.compile(r"X([AEIOU])"), r"J\1"),  # México, Xavier: a J sound between vowels or first
    (re.compile(r"LL"), "Y"),
    (re.compile(r"Y([^AEIOU]|$)"), r"I\1"),
    (re.compile(r"[CQ]"), "K"),
    (re.compile(r"[ZÇ]"), "S"),
    (re.compile(r"V"), "B"),
    (re.compile(r"W"), "U"),
    (re.compile(r"NN"), "N"),
    (re.compile(r"(.)\1+"), r"\1"),
]
_LATER_VOWELS = re.compile(r"(?<=.)[AEIOU]")
_DOUBLES = re.compile(r"(.)\1+")


@lru_cache(maxsize=1 << 16)
def phonetic_key(text: str) -> str:
    """The sound of a name word or words ("Vázquez" → "BSKS", "Basques" → "BSKS")."""
    words = []
    for word in ascii_key(text).split():
        for pattern, repl in _RULES:
            word = pattern.sub(repl, word)
        words.append(_DOUBLES.sub(r"\1", _LATER_VOWELS.sub("", word)))
    return " ".join(w for w in words if w)
