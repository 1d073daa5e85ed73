"""Plates, VINs and serials: the exact probe, the confusion-tolerant probes, and how sure.

A plate read by a camera as "ABC-I23" is looked up three ways in one statement: its exact
key (``plate = ABCI23``), its skeleton (``plate_skeleton = A8C123``) and the skeleton as an
exact key (``plate = A8C123``: a record whose skeleton equals its exact key stores no
skeleton row, ``model.records.object_keys``). Only the first can be an *exact* match; the
others are *possible* matches, each told with what was asked and what the record says, and
a confidence that falls with every glyph the match had to forgive. A VIN whose check digit
agrees once one confusable glyph is changed (on either side) is the strongest possible match.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from plataforma.model.envelope import Envelope
from plataforma.model.records.object_keys import EXACT_OF, SKELETON_OF, ObjectKey
from plataforma.model.values import (
    FirearmSerial,
    Plate,
    Vin,
    parse_firearm_serial,
    parse_plate,
    parse_vin,
)
from plataforma.model.values.confusable import differences

__all__ = ["ObjectEvidence", "object_evidence", "probes", "same_object_probes"]

Key = tuple[str, str]

# Confidence of a possible match: one forgiven glyph 0.8, each further one 0.1 less, never
# under 0.5; a VIN whose check digit confirms the one-glyph reading 0.9. An exact match is 1.
REPAIRED_SCORE = 0.9
FIRST_GLYPH_SCORE = 0.8
GLYPH_PENALTY = 0.1
FLOOR_SCORE = 0.5

_LABELS = {ObjectKey.PLATE: "plate", ObjectKey.VIN: "VIN", ObjectKey.SERIAL: "serial"}


def _parse(kind: ObjectKey, raw: str) -> Plate | Vin | FirearmSerial:
    if kind is ObjectKey.PLATE:
        return parse_plate(raw)
    if kind is ObjectKey.VIN:
        return parse_vin(raw)
    return parse_firearm_serial(raw)


def probes(kind: ObjectKey, exact: str | None, skeleton: str | None) -> tuple[list[Key], list[Key]]:
    """The exact probes and the confusion-tolerant probes of one identifier's keys."""
    exact_keys = [(str(kind), exact)] if exact else []
    possible: list[Key] = []
    if skeleton:
        possible.append((str(SKELETON_OF[kind]), skeleton))
        if skeleton != exact:
            possible.append((str(kind), skeleton))
    return exact_keys, possible


def same_object_probes(data: dict[str, Any]) -> tuple[list[Key], list[Key], dict[str, str]]:
    """Every probe of the plates, VINs and serials a record's ``data`` holds, and what it
    holds (kind → the first value's read form), for finding other records of the object."""
    exact: list[Key] = []
    possible: list[Key] = []
    asked: dict[str, str] = {}
    for kind, raw in _identifiers(data):
        parsed = _parse(kind, raw)
        one, other = probes(kind, parsed.match_key, parsed.skeleton_key)
        exact += one
        possible += other
        read = parsed.match_key or (parsed.read_as if isinstance(parsed, Vin) else None)
        if read:
            asked.setdefault(str(kind), read)
    exact = list(dict.fromkeys(exact))
    possible = [k for k in dict.fromkeys(possible) if k not in exact]
    return exact, possible, asked


def _identifiers(data: Any) -> Iterator[tuple[ObjectKey, str]]:
    """Every (kind, value as written) of a plate, VIN or serial anywhere in ``data``.

    Vehicles and firearms hold them at the top; incidents in ``vehicles`` and ``weapons``;
    seizures in ``conveyances`` and ``weapons``. Walking the document finds all of them,
    and any record type added later that nests a vehicle or firearm.
    """
    if isinstance(data, dict):
        for field, value in data.items():
            if field in _LABELS and isinstance(value, str) and value:
                yield ObjectKey(field), value
            elif isinstance(value, dict | list):
                yield from _identifiers(value)
    elif isinstance(data, list):
        for item in data:
            yield from _identifiers(item)


@dataclass(frozen=True, slots=True)
class ObjectEvidence:
    """Why a record is a possible match for an object: the value asked and the one on record."""

    kind: ObjectKey
    asked: str
    on_record: str
    score: float
    repaired: bool

    def note(self) -> str:
        label = _LABELS[self.kind]
        if self.repaired:
            return (
                f"possible match: {label} read as {self.asked} vs {self.on_record} on record;"
                " the check digit agrees once one confusable character is changed: "
                f"compare the {label} itself"
            )
        return (
            f"possible match: {label} read as {self.asked} vs {self.on_record} on record;"
            f" compare the {label} itself"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "read_as": self.asked,
            "on_record": self.on_record,
            "check_digit_repair": self.repaired,
            "note": self.note(),
        }


def object_evidence(
    record: Envelope, kind: str, key: str, asked_values: Mapping[str, str]
) -> ObjectEvidence:
    """How ``record`` matched through the possible key (``kind``, ``key``); ``asked_values``
    holds the read form of each identifier asked, by exact kind (``plate``, ``vin``, ...)."""
    exact_kind = EXACT_OF.get(ObjectKey(kind), ObjectKey(kind))
    asked = asked_values.get(str(exact_kind), key)
    asked_parsed = _parse(exact_kind, asked)
    for field_kind, raw in _identifiers(record.data):
        if field_kind is not exact_kind:
            continue
        parsed = _parse(exact_kind, raw)
        if key not in (parsed.match_key, parsed.skeleton_key):
            continue
        return ObjectEvidence(exact_kind, asked, raw, *_score(asked_parsed, parsed))
    # The key index and the document disagree (an older key form): still a possible match.
    return ObjectEvidence(exact_kind, asked, key, FLOOR_SCORE, False)


def _score(
    asked: Plate | Vin | FirearmSerial, on_record: Plate | Vin | FirearmSerial
) -> tuple[float, bool]:
    if isinstance(asked, Vin) and isinstance(on_record, Vin):
        repaired = bool(
            (on_record.repaired and on_record.repaired == (asked.match_key or asked.repaired))
            or (asked.repaired and asked.repaired == on_record.match_key)
        )
        if repaired:
            return REPAIRED_SCORE, True
        one, other = asked.read_as or "", on_record.read_as or ""
    else:
        one, other = asked.match_key or "", on_record.match_key or ""
    forgiven = max(1, differences(one, other))
    return max(FLOOR_SCORE, FIRST_GLYPH_SCORE - GLYPH_PENALTY * (forgiven - 1)), False
