"""Firearm serial numbers, including the ones that are not there.

Seized weapons often have their serial filed off, and the record then says "LIMADO", "S/N"
or "0000". Those strings must never become match keys: every obliterated weapon in the
country would look like the same gun. The same serial can be stamped by two manufacturers,
so the inquiry shows `make` beside each hit; it is not part of the key because the make is
itself often misspelt.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .base import Identifier
from .text import fold_accents

__all__ = ["FirearmSerial", "parse_firearm_serial"]

_SEPARATORS = str.maketrans("", "", " \t\n\r-.")
_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
# Compared with spaces, dashes, dots and slashes removed ("S/N" → "SN", "N/A" → "NA").
# fmt: off
_PLACEHOLDERS = frozenset({
    "SN", "NA", "ND", "SINNUMERO", "SINNUM", "SINSERIE", "NOSERIE", "SINMATRICULA", "ILEGIBLE",
    "NOLEGIBLE", "LIMADO", "LIMADA", "BORRADO", "BORRADA", "DESCONOCIDO", "NOVISIBLE"
})
# fmt: on
_NO_SERIAL = "no serial (obliterated or missing)"


@dataclass(frozen=True, slots=True)
class FirearmSerial(Identifier):
    """A firearm serial; `make` is the manufacturer as given."""

    make: str | None


def _is_placeholder(value: str) -> bool:
    bare = value.replace("/", "")
    # All zeros or all X of any length are fillers, not serials.
    return bare in _PLACEHOLDERS or (bare != "" and bare.strip("0X") == "")


# A record's keys and its flags both parse the same identifier: the small cache makes the
# second parse free. Results are immutable, so sharing them is safe.
@lru_cache(maxsize=4096)
def parse_firearm_serial(raw: str, make: str | None = None) -> FirearmSerial:
    """Parse a serial as typed; never raises."""
    raw = raw.strip()
    make = (make.strip() or None) if make else None
    value = fold_accents(raw).translate(_SEPARATORS)
    problem: str | None = None
    if not value or _is_placeholder(value):
        problem = _NO_SERIAL
    elif not _ALNUM.issuperset(value):
        problem = "unexpected characters"
    elif not 3 <= len(value) <= 20:
        problem = "not 3 to 20 characters"
    return FirearmSerial(raw, None if problem else value, problem, make)
