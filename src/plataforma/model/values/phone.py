"""Telephone numbers, normalised to E.164.

Mexican numbers come with the prefixes of several dialling plans ("044" and "045" for mobiles,
"01" for long distance, "+52 1" for mobiles from abroad), all retired in 2019–2020. They are
stripped so that every way of writing the same line gives the same key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .base import Identifier

__all__ = ["Phone", "parse_phone"]

# Calling codes for the countries whose numbers most often appear without "+" in Mexican
# records. Anything else must be written with its "+" code to be usable.
_CALLING_CODES = {
    "MX": "52",
    "US": "1",
    "CA": "1",
    "GT": "502",
    "SV": "503",
    "HN": "504",
    "NI": "505",
    "CR": "506",
    "PA": "507",
    "CO": "57",
    "VE": "58",
    "CU": "53",
}


@dataclass(frozen=True, slots=True)
class Phone(Identifier):
    """A phone number; `country` is known for Mexican numbers and nationally written ones."""

    country: str | None


_NON_DIGITS = re.compile(r"[^0-9]")


def _mexican(national: str) -> tuple[str | None, str | None]:
    """Strip retired Mexican prefixes and return (E.164, problem)."""
    if len(national) == 13 and national[:3] in ("044", "045"):
        national = national[3:]
    elif len(national) == 12 and national[:2] == "01":
        national = national[2:]
    elif len(national) == 11 and national[0] == "1":
        national = national[1:]  # the old mobile "1" after +52
    if len(national) != 10:
        return None, "Mexican number must have 10 digits"
    if national[0] in "01":
        return None, "Mexican numbers do not start with 0 or 1"
    return "+52" + national, None


# A record's keys and its flags both parse the same identifier: the small cache makes the
# second parse free. Results are immutable, so sharing them is safe.
@lru_cache(maxsize=4096)
def parse_phone(raw: str, default_country: str = "MX") -> Phone:
    """Parse a phone number as typed; never raises.

    A number without "+" (or the "00" international prefix) is read in `default_country`.
    """
    raw = raw.strip()
    digits = _NON_DIGITS.sub("", raw)
    if not digits:
        return Phone(raw, None, "no digits", None)
    country: str | None = None
    if raw.startswith("+"):
        full = digits
    elif digits.startswith("00"):
        full = digits[2:]
    elif default_country.upper() == "MX":
        # "52 55 1234 5678" is an international number whose "+" was left out.
        national = digits[2:] if len(digits) in (12, 13) and digits[:2] == "52" else digits
        e164, problem = _mexican(national)
        return Phone(raw, e164, problem, "MX")
    elif (code := _CALLING_CODES.get(default_country.upper())) is not None:
        full, country = code + digits, default_country.upper()
    else:
        return Phone(raw, None, "no country code", None)
    if full.startswith("52"):
        e164, problem = _mexican(full[2:])
        return Phone(raw, e164, problem, "MX")
    if not 8 <= len(full) <= 15:
        return Phone(raw, None, "international number must have 8 to 15 digits", country)
    return Phone(raw, "+" + full, None, country)
