"""Sex as recorded, in the Mexican convention: H (hombre), M (mujer), X (non-binary).

"M" means mujer, never "male": records from US agencies that use M/F must be mapped by their
importer before reaching this parser. X follows the CURP's non-binary marker (2023).
"""

from __future__ import annotations

from enum import StrEnum

from .base import InvalidValue
from .text import normalize_text

__all__ = ["Sex", "parse_sex"]


class Sex(StrEnum):
    H = "H"
    M = "M"
    X = "X"


_WORDS: dict[Sex, tuple[str, ...]] = {
    Sex.H: ("H", "HOMBRE", "MASCULINO", "MASC", "VARON", "MALE", "MAN"),
    Sex.M: ("M", "MUJER", "FEMENINO", "FEM", "F", "FEMALE", "WOMAN"),
    Sex.X: ("X", "NB", "NO BINARIO", "NO BINARIA", "NO BINARIE", "NOBINARIO", "NON BINARY"),
}
_LOOKUP = {word: sex for sex, words in _WORDS.items() for word in words}


def parse_sex(raw: str) -> Sex:
    """Parse a sex marker, case- and accent-insensitively; raises `InvalidValue`."""
    sex = _LOOKUP.get(normalize_text(raw))
    if sex is None:
        raise InvalidValue(f"unknown sex {raw!r}")
    return sex
