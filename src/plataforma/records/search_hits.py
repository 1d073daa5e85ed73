"""Which found records are *hits*: what an officer must see before anything else.

A name search may return dozens of files about one man; the one that matters at a stop is his
active arrest warrant, a protection order he is bound by, or the stolen car he is driving. A
hit is an active record of that kind (status active, not expired); hits sort first in every
answer, in the order of :class:`HitKind`, and an armed-and-dangerous warrant before the rest.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from plataforma.model.envelope import Envelope, RecordStatus

HIT_TYPES = ("warrant", "protection_order", "vehicle", "firearm")
"""Record types that can be hits; the search reads them before every other type."""


class HitKind(StrEnum):
    """Why a record is a hit, most urgent first (the declaration order is the sort order)."""

    WARRANT = "active_warrant"
    PROTECTION_ORDER = "active_protection_order"
    STOLEN_VEHICLE = "stolen_vehicle"
    STOLEN_FIREARM = "stolen_firearm"


_HIT_RANK = {kind: rank for rank, kind in enumerate(HitKind)}
NO_HIT_RANK = len(_HIT_RANK) + 1
# Among the records that are not hits, the ones nearest an event first.
_TYPE_RANK = {"detention": 0, "incident": 1, "person": 2, "seizure": 3}


def _in_force(record: Envelope, today: date) -> bool:
    if record.status != RecordStatus.ACTIVE:
        return False
    if record.valid_until is not None and record.valid_until < today:
        return False
    expires = record.data.get("expires_at")
    return not (isinstance(expires, str) and expires < today.isoformat())


def hit_of(record: Envelope, today: date) -> HitKind | None:
    """The kind of hit ``record`` is on ``today``, or ``None`` when it is not one."""
    if record.record_type not in HIT_TYPES or not _in_force(record, today):
        return None
    if record.record_type == "warrant":
        return HitKind.WARRANT
    if record.record_type == "protection_order":
        return HitKind.PROTECTION_ORDER
    if record.record_type == "vehicle" and record.data.get("theft_status") == "robado":
        return HitKind.STOLEN_VEHICLE
    if record.record_type == "firearm" and record.data.get("firearm_status") in ("stolen", "lost"):
        return HitKind.STOLEN_FIREARM
    return None


def hit_rank(hit: HitKind | None) -> int:
    return NO_HIT_RANK if hit is None else _HIT_RANK[hit]


def record_order(record: Envelope, hit: HitKind | None) -> tuple[int, int, int, float, str]:
    """Sort key inside a subject's group: hits (armed first), then by type, newest first."""
    armed = 0 if hit is HitKind.WARRANT and record.data.get("armed_and_dangerous") else 1
    kind = _TYPE_RANK.get(record.record_type, len(_TYPE_RANK))
    return (hit_rank(hit), armed, kind, -record.updated_at.timestamp(), record.id)
