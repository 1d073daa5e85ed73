"""Vehicle identification numbers (ISO 3779), with the check digit where it applies.

Vehicles built for North America (WMI starting 1–5, which includes Mexico's 3) carry a check
digit at position 9, and so do vehicles built in China (WMI starting L: GB 16735 adopted the
same computation); a typo there is caught. Elsewhere (Europe, Japan, Korea for their home
markets) position 9 is free, so those VINs are checked for structure only: their exact key is
used as written, and only the skeleton tolerates a misread glyph.

ISO 3779 never uses I, O or Q, so a VIN typed with them is *read* as 1, 0, 0: that is the
only reading the standard allows, not a guess, and the key is the VIN read that way. A VIN
whose check digit fails is kept as written and flagged, and its key is not a confirmed match
key (DESIGN §4); but when exactly one substitution of a confusable glyph (8/B, 5/S, 1/L,
…; see ``confusable``) makes the check digit agree, that reading is kept as ``repaired``
and the flag says so; it is still a possible match only (found through the skeleton, which a
one-glyph repair does not change, and ranked above other possible matches).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .base import Identifier
from .confusable import confusable_alternatives, skeleton

__all__ = ["Vin", "make_vin", "parse_vin", "repair_vin", "vin_check_digit"]

_SEPARATORS = str.maketrans("", "", " \t\n\r-.")
# I, O and Q are not VIN characters: they can only be misreadings of 1, 0 and 0.
_READ_AS = str.maketrans("IOQ", "100")
_ALLOWED = frozenset("ABCDEFGHJKLMNPRSTUVWXYZ0123456789")
_DIGITS = frozenset("0123456789")
_CHECK_DIGITS = _DIGITS | {"X"}
_YEAR_CODES = frozenset("ABCDEFGHJKLMNPRSTVWXY123456789")  # never U, Z or 0
_CHECKED_REGIONS = frozenset("12345L")
_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
CHECK_DIGIT_MISMATCH = "check digit mismatch"


@dataclass(frozen=True, slots=True)
class Vin(Identifier):
    """A VIN; `check_digit_applies` says whether position 9 was verified.

    `read_as` is the VIN with separators dropped and I/O/Q read as 1/0/0, set whenever it has
    the 17 legal characters (even if its check digit fails); `repaired` is the unique reading
    with one confusable glyph changed that satisfies the check digit, when there is one.
    """

    check_digit_applies: bool
    read_as: str | None = None
    repaired: str | None = None

    @property
    def skeleton_key(self) -> str | None:
        """The confusion-folded VIN (a possible match, never a confirmed one)."""
        return skeleton(self.read_as) if self.read_as else None


def vin_check_digit(vin17: str) -> str:
    """The check digit for position 9 ("X" stands for 10)."""
    remainder = sum(_VALUES[c] * w for c, w in zip(vin17, _WEIGHTS, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)


def _legal_at(vin17: str) -> list[frozenset[str]]:
    """The characters each position may hold: position 9 a check digit, 10 a model year and,
    in North America, 13–17 digits (49 CFR 565.15). A repair that breaks these is no repair.
    """
    legal = [_ALLOWED] * 8 + [_CHECK_DIGITS, _YEAR_CODES] + [_ALLOWED] * 7
    if vin17[0] in "12345":
        legal[12:] = [_DIGITS] * 5
    return legal


def _candidates(vin17: str) -> list[str]:
    """Every VIN one confusable glyph away from ``vin17`` that uses only legal characters."""
    out = []
    for i, (glyph, legal) in enumerate(zip(vin17, _legal_at(vin17), strict=True)):
        for other in confusable_alternatives(glyph):
            if other in legal:
                out.append(f"{vin17[:i]}{other}{vin17[i + 1 :]}")
    return out


def repair_vin(vin17: str) -> str | None:
    """The one reading of ``vin17`` with a single confusable glyph changed whose check digit
    agrees; ``None`` when there is none, or more than one (an ambiguous repair is no repair).
    """
    found = {c for c in _candidates(vin17) if vin_check_digit(c) == c[8]}
    return found.pop() if len(found) == 1 else None


# A record's keys and its flags both parse the same identifier: the small cache makes the
# second parse free. Results are immutable, so sharing them is safe.
@lru_cache(maxsize=4096)
def parse_vin(raw: str) -> Vin:
    """Parse a VIN as typed; never raises."""
    raw = raw.strip()
    value = raw.upper().translate(_SEPARATORS).translate(_READ_AS)
    applies = value[:1] in _CHECKED_REGIONS
    if not value:
        return Vin(raw, None, "empty", applies)
    if len(value) != 17:
        # Includes pre-1981 VINs, which had no common format and cannot be checked.
        return Vin(raw, None, "not a 17-character VIN", applies)
    if not _ALLOWED.issuperset(value):
        return Vin(raw, None, "unexpected characters", applies)
    if applies and vin_check_digit(value) != value[8]:
        repaired = repair_vin(value)
        problem = CHECK_DIGIT_MISMATCH
        if repaired:
            problem += f"; possibly {repaired} (one confusable character changed)"
        return Vin(raw, None, problem, applies, value, repaired)
    return Vin(raw, value, None, applies, value)


# --- construction, for the synthetic data generator -------------------------------------

# Manufacturers common on Mexican roads (Mexican plants start with 3).
_WMIS = ("3VW", "3N1", "3N6", "3G1", "3GC", "3FA", "3KP", "3MZ", "1HG", "1FT", "2T1", "5YJ")
_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_YEARS = "ABCDEFGHJKLMNPRSTVWXY123456789"  # position 10 never uses U, Z or 0
_PLANTS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


# Mixing multiplier (golden-ratio constant, adjusted to share no factor with the radix
# product 2·3·5·11), so multiplying by it permutes the VIN space.
_MIX = 0x9E3779B97F4A7C19
_SPACE = 1_000_000 * len(_PLANTS) * len(_YEARS) * len(_CHARS) ** 5 * len(_WMIS)


def make_vin(rng_int: int) -> str:
    """A valid North American VIN derived deterministically from `rng_int`.

    The integer is mixed first so that consecutive integers give unrelated-looking VINs;
    distinct integers in [0, ~4.6e17) give distinct VINs.
    """
    n = (abs(rng_int) * _MIX) % _SPACE
    n, serial = divmod(n, 1_000_000)
    n, plant = divmod(n, len(_PLANTS))
    n, year = divmod(n, len(_YEARS))
    vds = []
    for _ in range(5):
        n, c = divmod(n, len(_CHARS))
        vds.append(_CHARS[c])
    body = f"{_WMIS[n]}{''.join(vds)}0{_YEARS[year]}{_PLANTS[plant]}{serial:06d}"
    return body[:8] + vin_check_digit(body) + body[9:]
