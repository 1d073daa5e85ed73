"""The index keys of a plate, a VIN and a firearm serial: exact, and confusion-tolerant.

The same car is "JKL-123-A" in one agency's theft report and "JKL-I23-A" in another's
recovery, read off the plate by a camera; the same rifle is "AB801" stamped and "A8BO1"
typed. Each object identifier is indexed twice in ``record_keys``:

* its **exact** key (``plate``, ``vin``, ``serial``): the value as the value type
  normalises it; only a valid identifier has one, and only it can make a confirmed match;
* its **skeleton** (``plate_skeleton``, ``vin_skeleton``, ``serial_skeleton``): the exact
  key with every confusable glyph folded to its class (``values.confusable``). A match on
  it alone is a *possible* match, to be checked against the object itself;
* no key of its own for a VIN's check-digit **repair** (``values.vin``): a repair changes
  one confusable glyph, so the repaired VIN has the typed VIN's skeleton and the skeleton
  probe finds it; the inquiry then reads the repair to rank that possible match higher.

A skeleton equal to the exact key (a plate without B, D, G, I, L, O, Q, S or Z) is not
stored: the inquiry probes the exact kind with the skeleton value too, so the row would say
nothing new. That leaves out about a third of the plates' skeleton rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from plataforma.model.records.base import MatchKey
from plataforma.model.values import FirearmSerial, Plate, Vin
from plataforma.model.values.confusable import skeleton

__all__ = [
    "EXACT_OF",
    "SKELETON_OF",
    "ObjectKey",
    "identifier_keys",
    "is_possible_key",
    "plate_keys",
    "serial_keys",
    "skeleton_candidates",
    "vin_keys",
]


class ObjectKey(StrEnum):
    """``record_keys`` kinds of vehicles and firearms (16 characters at most: the column)."""

    PLATE = "plate"
    PLATE_SKELETON = "plate_skeleton"
    VIN = "vin"
    VIN_SKELETON = "vin_skeleton"
    SERIAL = "serial"
    SERIAL_SKELETON = "serial_skeleton"


SKELETON_OF = {
    ObjectKey.PLATE: ObjectKey.PLATE_SKELETON,
    ObjectKey.VIN: ObjectKey.VIN_SKELETON,
    ObjectKey.SERIAL: ObjectKey.SERIAL_SKELETON,
}
"""The skeleton kind of each exact kind."""

EXACT_OF = {skeleton: exact for exact, skeleton in SKELETON_OF.items()}
"""The exact kind each skeleton kind stands beside."""

_EXACT_KINDS = frozenset(str(kind) for kind in SKELETON_OF)


def is_possible_key(kind: str) -> bool:
    """Whether a match on ``kind`` is only a possible one (a skeleton, not an exact key)."""
    return kind in EXACT_OF


def skeleton_candidates(keys: Iterable[MatchKey]) -> list[MatchKey]:
    """The skeleton key of every exact object key in ``keys`` (stored or not).

    A record stores no skeleton equal to its exact key; a standing query (a subscription, a
    logged inquiry) always holds its skeleton, so an event is matched on both.
    """
    out: list[MatchKey] = []
    for kind, value in keys:
        folded = SKELETON_OF.get(ObjectKey(kind)) if kind in _EXACT_KINDS else None
        if folded is not None:
            out.append((str(folded), skeleton(value)))
    return out


def identifier_keys(
    exact_kind: ObjectKey, exact: str | None, skeleton: str | None
) -> list[MatchKey]:
    """The exact key, and the skeleton unless it equals the exact key."""
    keys: list[MatchKey] = []
    if exact:
        keys.append((str(exact_kind), exact))
    if skeleton and skeleton != exact:
        keys.append((str(SKELETON_OF[exact_kind]), skeleton))
    return keys


def plate_keys(plate: Plate) -> list[MatchKey]:
    return identifier_keys(ObjectKey.PLATE, plate.match_key, plate.skeleton_key)


def vin_keys(vin: Vin) -> list[MatchKey]:
    return identifier_keys(ObjectKey.VIN, vin.match_key, vin.skeleton_key)


def serial_keys(serial: FirearmSerial) -> list[MatchKey]:
    return identifier_keys(ObjectKey.SERIAL, serial.match_key, serial.skeleton_key)
