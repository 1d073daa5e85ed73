"""Vehicle identification numbers (ISO 3779), with the North American check digit.

Vehicles built for North America (WMI starting 1–5, which includes Mexico's 3) carry a check
digit at position 9, so a typo there is caught. Elsewhere position 9 is free, so those VINs
are checked for structure only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .base import Identifier

__all__ = ["Vin", "make_vin", "parse_vin", "vin_check_digit"]

_SEPARATORS = str.maketrans("", "", " \t\n\r-.")
_ALLOWED = frozenset("ABCDEFGHJKLMNPRSTUVWXYZ0123456789")
_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


@dataclass(frozen=True, slots=True)
class Vin(Identifier):
    """A VIN; `check_digit_applies` says whether position 9 was verified."""

    check_digit_applies: bool


def vin_check_digit(vin17: str) -> str:
    """The check digit for position 9 ("X" stands for 10)."""
    remainder = sum(_VALUES[c] * w for c, w in zip(vin17, _WEIGHTS, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)


# A record's keys and its flags both parse the same identifier: the small cache makes the
# second parse free. Results are immutable, so sharing them is safe.
@lru_cache(maxsize=4096)
def parse_vin(raw: str) -> Vin:
    """Parse a VIN as typed; never raises."""
    raw = raw.strip()
    value = raw.upper().translate(_SEPARATORS)
    applies = value[:1] in ("1", "2", "3", "4", "5")
    problem: str | None = None
    if not value:
        problem = "empty"
    elif len(value) != 17:
        # Includes pre-1981 VINs, which had no common format and cannot be checked.
        problem = "not a 17-character VIN"
    elif not _ALLOWED.issuperset(value):
        bad = set(value) - _ALLOWED
        problem = "contains I, O or Q" if bad <= set("IOQ") else "unexpected characters"
    elif applies and vin_check_digit(value) != value[8]:
        problem = "check digit mismatch"
    return Vin(raw, None if problem else value, problem, applies)


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
