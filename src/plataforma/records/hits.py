"""What counts as a *hit*: the one place that decides it, for search and inquiry alike.

A name search may return dozens of files about one man; the one that matters at a stop is his
active arrest warrant, a protection order he is bound by, the detention he should still be
held on, or the stolen car he is driving. A hit is such a record *in force*; everything else
that was found is a record, not a hit, and :func:`judge` says why (a recovered vehicle, an
expired warrant, a victim named in a report). Hits sort first in every answer, in the order
of :class:`HitKind`, and an armed-and-dangerous warrant before the rest.

A hit is a lead to confirm with the owning agency, never proof: :data:`LEAD_NOT_PROOF` is
the sentence every answer carries, and each hit's :class:`Guidance` tells the officer what
to do while the confirmation is asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from plataforma.model.codes import CodeError, resolve_crime_type
from plataforma.model.envelope import Envelope, RecordStatus

HIT_TYPES = ("warrant", "protection_order", "detention", "vehicle", "firearm")
"""Record types that can be hits; searches and inquiries read them before every other type."""

LEAD_NOT_PROOF = (
    "A hit is a lead, not proof: confirm it with the owning agency before acting on it."
)

# A detention is in force while the detainee must still be in custody on it: the
# Constitution (art. 16) gives 48 hours before the prosecutor must release or bring the
# person before a judge, 96 for organised crime. An active detention younger than that whose
# subject is in front of an officer is a possible escape or an unrecorded release.
DETENTION_HOLD = timedelta(hours=96)


class HitKind(StrEnum):
    """Why a record is a hit, most urgent first (the declaration order is the sort order)."""

    WARRANT = "active_warrant"
    PROTECTION_ORDER = "active_protection_order"
    DETENTION = "detention_in_force"
    STOLEN_VEHICLE = "stolen_vehicle"
    STOLEN_FIREARM = "stolen_firearm"


class Caveat(StrEnum):
    """Officer-safety warnings carried by a hit (NCIC's caveats), most serious first."""

    ARMED_AND_DANGEROUS = "armed_and_dangerous"
    VIOLENT = "violent"
    PROTECTION_ORDER = "protection_order"


class Guidance(StrEnum):
    """What the officer does on a hit while the owning agency confirms it."""

    HOLD_AND_CONFIRM_WARRANT = "hold_and_confirm_warrant"
    ENFORCE_PROTECTION_ORDER = "enforce_protection_order"
    CONFIRM_CUSTODY = "confirm_custody"
    SECURE_VEHICLE = "secure_vehicle"
    SECURE_FIREARM = "secure_firearm"


GUIDANCE = {
    HitKind.WARRANT: Guidance.HOLD_AND_CONFIRM_WARRANT,
    HitKind.PROTECTION_ORDER: Guidance.ENFORCE_PROTECTION_ORDER,
    HitKind.DETENTION: Guidance.CONFIRM_CUSTODY,
    HitKind.STOLEN_VEHICLE: Guidance.SECURE_VEHICLE,
    HitKind.STOLEN_FIREARM: Guidance.SECURE_FIREARM,
}

GUIDANCE_TEXT = {
    Guidance.HOLD_AND_CONFIRM_WARRANT: (
        "Keep the person at the scene within the law and request confirmation of the warrant "
        "from the owning agency; arrest only once it confirms."
    ),
    Guidance.ENFORCE_PROTECTION_ORDER: (
        "Check whether the person is breaking the order's conditions (distance, contact) and "
        "confirm the order with the issuing agency."
    ),
    Guidance.CONFIRM_CUSTODY: (
        "The person should be in custody on this detention: confirm with the receiving "
        "authority whether they were released or escaped."
    ),
    Guidance.SECURE_VEHICLE: (
        "Do not release the vehicle; confirm the theft report with the owning agency before "
        "seizing it. Occupants are not suspects by this hit alone."
    ),
    Guidance.SECURE_FIREARM: (
        "Secure the firearm safely and confirm the report with the owning agency."
    ),
}


class NoHitReason(StrEnum):
    """Why a found record is not a hit."""

    NOT_ACTIVE = "not_active"  # status cleared, expired or purged
    EXPIRED = "expired"  # past its expiry or validity date
    DETENTION_PAST = "detention_past"  # older than the constitutional hold
    RECOVERED = "recovered_vehicle"
    NO_THEFT_REPORT = "no_theft_report"
    FIREARM_NOT_STOLEN = "firearm_not_stolen"
    NOT_A_HIT_TYPE = "record_only"  # a person file, an incident, a seizure
    NAMED_IN_REPORT = "named_in_report"  # a victim, witness, ... named in a police report


NO_HIT_TEXT = {
    NoHitReason.NOT_ACTIVE: "the record is no longer in force (status {status})",
    NoHitReason.EXPIRED: "the record expired on {expires}",
    NoHitReason.DETENTION_PAST: "a past detention ({date}): the person is not held on it now",
    NoHitReason.RECOVERED: "the vehicle was reported stolen and has been recovered",
    NoHitReason.NO_THEFT_REPORT: "the vehicle has no theft report",
    NoHitReason.FIREARM_NOT_STOLEN: "the firearm is not reported stolen or lost ({status})",
    NoHitReason.NOT_A_HIT_TYPE: "a {record_type} record is information, not a hit",
    NoHitReason.NAMED_IN_REPORT: "named as {role} in a police report: information, not a hit",
}


@dataclass(frozen=True, slots=True)
class Judgement:
    """A found record judged: its hit kind, or why it is not one (with the text's values)."""

    hit: HitKind | None
    reason: NoHitReason | None = None
    values: Mapping[str, str] | None = None

    @property
    def detail(self) -> str:
        """Why the record is not a hit, in English (the UI translates the reason code)."""
        if self.reason is None:
            return ""
        return NO_HIT_TEXT[self.reason].format(**(self.values or {}))


_HIT_RANK = {kind: rank for rank, kind in enumerate(HitKind)}
NO_HIT_RANK = len(_HIT_RANK) + 1
# Among the records that are not hits, the ones nearest an event first.
_TYPE_RANK = {"detention": 0, "incident": 1, "person": 2, "seizure": 3}


def _expiry(record: Envelope) -> str | None:
    """The earliest expiry the record states (its envelope's or its own), ISO, or None."""
    dates = [record.valid_until.isoformat()] if record.valid_until is not None else []
    expires = record.data.get("expires_at")
    if isinstance(expires, str) and expires:
        dates.append(expires)
    return min(dates) if dates else None


def judge(
    record: Envelope, today: date, now: datetime | None = None, role: str | None = None
) -> Judgement:
    """Whether ``record`` is a hit on ``today``, and of which kind or why not.

    ``role`` is how the subject is named in a police report (victim, witness, ...), when the
    caller knows which person of the report it matched.
    """
    kind = record.record_type
    if kind == "incident" and role:
        return Judgement(None, NoHitReason.NAMED_IN_REPORT, {"role": role})
    if kind not in HIT_TYPES:
        return Judgement(None, NoHitReason.NOT_A_HIT_TYPE, {"record_type": kind})
    if record.status != RecordStatus.ACTIVE:
        return Judgement(None, NoHitReason.NOT_ACTIVE, {"status": str(record.status)})
    expires = _expiry(record)
    if expires is not None and expires < today.isoformat():
        return Judgement(None, NoHitReason.EXPIRED, {"expires": expires})
    data = record.data
    if kind == "warrant":
        return Judgement(HitKind.WARRANT)
    if kind == "protection_order":
        return Judgement(HitKind.PROTECTION_ORDER)
    if kind == "detention":
        detained = _when(data.get("detained_at"))
        moment = now or datetime.combine(today, datetime.max.time(), UTC)
        if detained is not None and moment - detained <= DETENTION_HOLD:
            return Judgement(HitKind.DETENTION)
        return Judgement(None, NoHitReason.DETENTION_PAST, {"date": str(data.get("detained_at"))})
    if kind == "vehicle":
        theft = data.get("theft_status")
        if theft == "robado":
            return Judgement(HitKind.STOLEN_VEHICLE)
        if theft == "recuperado":
            return Judgement(None, NoHitReason.RECOVERED)
        return Judgement(None, NoHitReason.NO_THEFT_REPORT)
    status = str(data.get("firearm_status") or "registered")
    if status in ("stolen", "lost"):
        return Judgement(HitKind.STOLEN_FIREARM)
    return Judgement(None, NoHitReason.FIREARM_NOT_STOLEN, {"status": status})


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def hit_of(record: Envelope, today: date) -> HitKind | None:
    """The kind of hit ``record`` is on ``today``, or ``None`` when it is not one."""
    return judge(record, today).hit


def _violent(crime_types: Any) -> bool:
    for code in crime_types if isinstance(crime_types, list) else ():
        try:
            if resolve_crime_type(str(code)).violent:
                return True
        except CodeError:
            continue  # kept as written by an older catalogue: no caveat can be read from it
    return False


def caveats_of(record: Envelope, hit: HitKind | None) -> list[Caveat]:
    """The officer-safety caveats of a hit, most serious first; none for a non-hit."""
    if hit is None:
        return []
    data = record.data
    found: list[Caveat] = []
    if data.get("armed_and_dangerous"):
        found.append(Caveat.ARMED_AND_DANGEROUS)
    if _violent(data.get("crime_types")) or _violent(data.get("reasons")):
        found.append(Caveat.VIOLENT)
    if hit is HitKind.PROTECTION_ORDER:
        found.append(Caveat.PROTECTION_ORDER)
    return found


_DATE_FIELDS = {
    "warrant": "issued_at",
    "protection_order": "issued_at",
    "detention": "detained_at",
    "vehicle": "reported_stolen_at",
}


def record_date(record: Envelope) -> str:
    """The date that matters for the record (issued, detained, reported stolen), ISO."""
    value = record.data.get(_DATE_FIELDS.get(record.record_type, ""))
    if isinstance(value, str) and value:
        return value
    return record.updated_at.isoformat()


def hit_rank(hit: HitKind | None) -> int:
    return NO_HIT_RANK if hit is None else _HIT_RANK[hit]


def record_order(record: Envelope, hit: HitKind | None) -> tuple[int, int, int, float, str]:
    """Sort key of found records: hits (armed first), then by type, newest first."""
    armed = 0 if hit is HitKind.WARRANT and record.data.get("armed_and_dangerous") else 1
    kind = _TYPE_RANK.get(record.record_type, len(_TYPE_RANK))
    return (hit_rank(hit), armed, kind, -record.updated_at.timestamp(), record.id)
