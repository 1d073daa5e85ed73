"""Glyphs that plate readers, worn stampings and hurried typing mistake for one another.

An ALPR camera reads the "0" of a dirty plate as "O" or "D", a clerk types "I" for "1" or a
lower-case "l", a worn firearm stamping turns "8" into "B". The exact key of a plate, VIN or
serial keeps every character, so those misreadings miss. The *skeleton* maps every glyph of
a confusion class to one representative (the digit), and is indexed beside the exact key,
never instead of it: two plates that only share a skeleton are a *possible* match (two
different cars may well be "ABC-123" and "ABC-I23"), to be checked against the plate itself.

The classes are the confusions reported for licence-plate OCR and for typing from a
photocopy: O/0/Q/D, I/1/L, S/5, B/8, Z/2, G/6. Each class costs some false possible matches
(``bench/objects.py`` measures them); pairs seen less often (A/4, T/7, U/V) are left out on
purpose, because every class added makes more genuinely different plates share a skeleton.
"""

from __future__ import annotations

__all__ = ["CONFUSION_CLASSES", "confusable_alternatives", "differences", "skeleton"]

# Representative first: the skeleton writes the digit.
CONFUSION_CLASSES: tuple[str, ...] = ("0OQD", "1IL", "2Z", "5S", "6G", "8B")

_TO_SKELETON = str.maketrans(
    {glyph: members[0] for members in CONFUSION_CLASSES for glyph in members[1:]}
)
_CLASS_OF = {glyph: members for members in CONFUSION_CLASSES for glyph in members}


def skeleton(value: str) -> str:
    """``value`` (already upper-case, without separators) with each confusable as its class.

    ``skeleton("ABC-I23")`` is not meaningful (separators must go first); ``skeleton("ABCI23")``
    and ``skeleton("A8C123")`` are both ``"A8C123"``.
    """
    return value.translate(_TO_SKELETON)


def confusable_alternatives(glyph: str) -> str:
    """The other glyphs ``glyph`` is mistaken for ("" when it is in no class)."""
    return _CLASS_OF.get(glyph, glyph).replace(glyph, "")


def differences(asked: str, on_record: str) -> int:
    """How many positions differ between two normalised values of the same length.

    Used to lower the confidence of a possible match by the number of glyphs it had to
    forgive; values of different lengths never share a skeleton, so count every position.
    """
    if len(asked) != len(on_record):
        return max(len(asked), len(on_record))
    return sum(1 for a, b in zip(asked, on_record, strict=True) if a != b)
