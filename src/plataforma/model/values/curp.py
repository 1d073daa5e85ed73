"""CURP, the Mexican population registry key, validated the way RENAPO issues it.

A CURP encodes name initials, birth date, sex and birth state and ends in a check digit, so
most typing mistakes are detectable. Only a CURP that passes every check becomes a match key.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from operator import mul

from .base import Identifier
from .particles import PARTICLES
from .sex import Sex

__all__ = [
    "CURP_STATE_CODES",
    "Curp",
    "curp_check_digit",
    "curp_initials",
    "curp_name_prefix",
    "make_curp",
    "parse_curp",
]

# The 32 federal entities plus NE ("nacido en el extranjero", born abroad).
# fmt: off
CURP_STATE_CODES = frozenset({
    "AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT", "GR", "HG", "JC", "MC",
    "MN", "MS", "NT", "NL", "OC", "PL", "QT", "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ",
    "YN", "ZS", "NE"
})
# fmt: on

_CURP_RE = re.compile(
    r"[A-Z][AEIOUX][A-Z]{2}[0-9]{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z][0-9]"
)
_DICTIONARY = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
# Each character's value by its Latin-1 byte (Ñ is 0xD1), so that bytes.translate turns a
# CURP into its values in one C loop: a dict lookup per character was most of the cost.
_AS_VALUES = bytes(_DICTIONARY.index(chr(b)) if chr(b) in _DICTIONARY else 0 for b in range(256))
_WEIGHTS = range(18, 1, -1)  # 18 for the first character down to 2 for the 17th
_SEPARATORS = str.maketrans("", "", " \t\n\r-.")


@dataclass(frozen=True, slots=True)
class Curp(Identifier):
    """A CURP; the decoded fields are set only when the CURP is valid."""

    birth_date: dt.date | None
    sex: Sex | None
    state_code: str | None


def curp_check_digit(first17: str) -> str:
    """The 18th character RENAPO computes from the first 17 (characters 0-9, A-Z and Ñ)."""
    values = first17[:17].encode("latin-1").translate(_AS_VALUES)
    total = sum(map(mul, values, _WEIGHTS))
    return str((10 - total % 10) % 10)


def _invalid(raw: str, problem: str) -> Curp:
    return Curp(raw, None, problem, None, None, None)


# A record's keys and its flags both parse the same identifier: the small cache makes the
# second parse free. Results are immutable, so sharing them is safe.
@lru_cache(maxsize=4096)
def parse_curp(raw: str) -> Curp:
    """Parse a CURP as typed; never raises."""
    raw = raw.strip()
    value = raw.upper().translate(_SEPARATORS)
    if not value:
        return _invalid(raw, "empty")
    if len(value) != 18:
        return _invalid(raw, "not 18 characters")
    if not _CURP_RE.fullmatch(value):
        return _invalid(raw, "malformed CURP structure")
    if value[11:13] not in CURP_STATE_CODES:
        return _invalid(raw, "unknown state code")
    # The homoclave's first character tells the century: digit before 2000, letter after.
    century = 1900 if value[16].isdigit() else 2000
    try:
        born = dt.date(century + int(value[4:6]), int(value[6:8]), int(value[8:10]))
    except ValueError:
        return _invalid(raw, "impossible birth date")
    if curp_check_digit(value) != value[17]:
        return _invalid(raw, "check digit mismatch")
    return Curp(raw, value, None, born, Sex(value[10]), value[11:13])


# --- construction, for the synthetic data generator -------------------------------------

_FOLD = str.maketrans("ÁÉÍÓÚÜÀÈÌÒÙÄËÏÖÂÊÎÔÛÑ", "AEIOUUAEIOUAEIOAEIOUX")
_VOWELS = frozenset("AEIOU")
# RENAPO skips these in compound given names and uses the second name instead.
_COMMON_FIRST = frozenset(["JOSE", "J", "MARIA", "MA", "M"])
# RENAPO's list of offensive initials; the second letter is replaced with X.
# fmt: off
_FORBIDDEN = frozenset({
    "BACA", "BAKA", "BUEI", "BUEY", "CACA", "CACO", "CAGA", "CAGO", "CAKA", "CAKO", "COGE",
    "COGI", "COJA", "COJE", "COJI", "COJO", "COLA", "CULO", "FALO", "FETO", "GETA", "GUEI",
    "GUEY", "JETA", "JOTO", "KACA", "KACO", "KAGA", "KAGO", "KAKA", "KAKO", "KOGE", "KOGI",
    "KOJA", "KOJE", "KOJI", "KOJO", "KOLA", "KULO", "LILO", "LOCA", "LOCO", "LOKA", "LOKO",
    "MAME", "MAMO", "MEAR", "MEAS", "MEON", "MIAR", "MION", "MOCO", "MOKO", "MULA", "MULO",
    "NACA", "NACO", "PEDA", "PEDO", "PENE", "PIPI", "PITO", "POPO", "PUTA", "PUTO", "QULO",
    "RATA", "ROBA", "ROBE", "ROBO", "RUIN", "SENO", "TETA", "VACA", "VAGA", "VAGO", "VAKA",
    "VUEI", "VUEY", "WUEI", "WUEY"
})
# fmt: on


def _words(part: str | None) -> list[str]:
    if not part:
        return []
    words = (
        "".join(c for c in w if "A" <= c <= "Z") for w in part.upper().translate(_FOLD).split()
    )
    return [w for w in words if w and w not in PARTICLES]


def _first_internal(word: str, vowels: bool) -> str:
    for c in word[1:]:
        if (c in _VOWELS) == vowels:
            return c
    return "X"


def _name_words(
    given_names: str | None, first_surname: str | None, second_surname: str | None
) -> tuple[str, list[str], str]:
    s1 = (_words(first_surname) or ["X"])[0]
    given = _words(given_names) or ["X"]
    g = given[1] if len(given) > 1 and given[0] in _COMMON_FIRST else given[0]
    return s1, _words(second_surname), g


def _initials(s1: str, s2w: list[str], g: str) -> str:
    initials = s1[0] + _first_internal(s1, True) + (s2w[0] if s2w else "X")[0] + g[0]
    return initials[0] + "X" + initials[2:] if initials in _FORBIDDEN else initials


def curp_initials(first_surname_word: str, second_surname_word: str, given_word: str) -> str:
    """The CURP's four initials from words already in matching form (uppercase ASCII, no
    particles; the given name already past a leading José/María): the resolver's fast path."""
    s2 = [second_surname_word] if second_surname_word else []
    return _initials(first_surname_word or "X", s2, given_word or "X")


def curp_name_prefix(
    given_names: str | None,
    first_surname: str | None,
    second_surname: str | None,
    birth_date: dt.date,
) -> str:
    """The first ten characters of the CURP of this name and date of birth.

    Initials and birth date: a blocking key that survives most typing errors in a name (all
    but those in the letters the initials take), so an inquiry can look up the CURPs that
    start with it when the typed name finds nothing.
    """
    s1, s2w, g = _name_words(given_names, first_surname, second_surname)
    return _initials(s1, s2w, g) + birth_date.strftime("%y%m%d")


def make_curp(
    given_names: str,
    first_surname: str,
    second_surname: str | None,
    birth_date: dt.date,
    sex: Sex | str,
    state_code: str,
    homoclave_seed: int = 0,
) -> str:
    """Build a valid CURP following RENAPO's rules closely enough for synthetic data.

    `homoclave_seed` picks the disambiguating character, so distinct seeds give distinct
    CURPs for namesakes. Raises `ValueError` for an unknown sex, state or out-of-range year.
    """
    if sex not in ("H", "M", "X") or state_code not in CURP_STATE_CODES:
        raise ValueError(f"bad sex {sex!r} or state code {state_code!r}")
    if not 1900 <= birth_date.year <= 2099:
        raise ValueError("CURP years run from 1900 to 2099")
    s1, s2w, g = _name_words(given_names, first_surname, second_surname)
    initials = _initials(s1, s2w, g)
    consonants = (
        _first_internal(s1, False)
        + (_first_internal(s2w[0], False) if s2w else "X")
        + _first_internal(g, False)
    )
    seed = abs(homoclave_seed)
    homoclave = (
        str(seed % 10) if birth_date.year < 2000 else "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[seed % 26]
    )
    first17 = f"{initials}{birth_date:%y%m%d}{sex}{state_code}{consonants}{homoclave}"
    return first17 + curp_check_digit(first17)
