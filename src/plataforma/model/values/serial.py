"""Firearm serial numbers, including the ones that are not there.

Seized weapons often have their serial filed off, and the record then says "LIMADO", "S/N"
or "0000". Those strings must never become match keys: every obliterated weapon in the
country would look like the same gun. The same serial can be stamped by two manufacturers,
so the inquiry shows `make` beside each hit; it is not part of the key because the make is
itself often misspelt. Separators (spaces, dashes, dots, slashes, underscores) and case carry
no meaning. A worn stamping is misread like a dirty plate (8/B, 0/O/D, 1/I/L, 5/S): the
serial's *skeleton* (``confusable``) is indexed beside its exact key for possible matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .base import Identifier
from .confusable import skeleton
from .text import fold_accents

__all__ = ["FirearmSerial", "parse_firearm_serial"]

_SEPARATORS = str.maketrans("", "", " \t\n\r-./_")
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

    @property
    def skeleton_key(self) -> str | None:
        """The confusion-folded key (a possible match, never a confirmed one); None if invalid."""
        key = self.match_key
        return skeleton(key) if key else None


def _is_placeholder(value: str) -> bool:
    # All zeros or all X of any length are fillers, not serials ("S/N" arrives here as "SN");
    # so is "OOOO": read through its skeleton, it would be every obliterated gun's twin.
    return value in _PLACEHOLDERS or (value != "" and skeleton(value).strip("0X") == "")


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
