"""The answer to an inquiry: hit or no hit, each hit with what an officer needs at a stop.

The JSON form is the contract of the CLI (``--json``) and the API: ``{"hit", "hits": [{
"record_id", "record_type", "agency", "status", "caveats", "confirmation", ...}], ...}``.
Every answer carries :data:`~plataforma.records.hits.LEAD_NOT_PROOF`.

Each hit and other record says how it matched in ``match_quality``: ``exact``, ``fuzzy`` (a
name within spelling tolerance) or ``confusable`` (a plate, VIN or serial that differs by
glyphs a camera or a typist confuses: a *possible* match, with ``match.note`` saying what
was read and what the record holds). Exact matches come before possible ones, and
``exact_hit`` tells an answer whose hits are all possible ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from plataforma.inquiry.lookup import Match, MatchQuality
from plataforma.inquiry.names import name_parts
from plataforma.model.envelope import Envelope
from plataforma.records.hits import (
    GUIDANCE,
    GUIDANCE_TEXT,
    LEAD_NOT_PROOF,
    Caveat,
    Guidance,
    HitKind,
    NoHitReason,
    caveats_of,
    judge,
    record_date,
    record_order,
)

# What a hit shows of its record, by type: enough to tell this warrant or car from another.
_SUMMARY_FIELDS = {
    "warrant": ("warrant_type", "case_number", "issued_by", "crime_types", "expires_at"),
    "protection_order": ("order_type", "issued_by", "conditions", "expires_at", "case_number"),
    "detention": ("detention_type", "reasons", "receiving_authority"),
    "vehicle": ("plate", "plate_state", "vin", "make", "model", "year", "colour"),
    "firearm": ("serial", "make", "model", "calibre", "firearm_type"),
}


def _record_fields(found: Hit | OtherRecord) -> dict[str, Any]:
    out: dict[str, Any] = {
        "record_id": found.record_id,
        "record_type": found.record_type,
        "agency": found.agency,
        "status": found.status,
    }
    if found.match.get("via"):
        # Found through the national person (an entity-resolution link), not by a key.
        out |= {"via": found.match["via"], "link_score": found.match.get("link_score")}
    return out


@dataclass(frozen=True, slots=True)
class Hit:
    record_id: str
    record_type: str
    agency: str
    status: str
    kind: HitKind
    date: str
    caveats: list[Caveat]
    guidance: Guidance
    match: dict[str, Any]
    summary: dict[str, Any]
    confirmation: dict[str, str]
    remarks: str | None = None  # the record's own free-text caveats

    @property
    def quality(self) -> str:
        return str(self.match.get("quality", MatchQuality.EXACT))

    def to_json(self) -> dict[str, Any]:
        return {
            **_record_fields(self),
            "match_quality": self.quality,
            "hit_kind": str(self.kind),
            "date": self.date,
            "caveats": [str(c) for c in self.caveats],
            "remarks": self.remarks,
            "what_to_do": str(self.guidance),
            "what_to_do_text": GUIDANCE_TEXT[self.guidance],
            "match": self.match,
            "summary": self.summary,
            "confirmation": self.confirmation,
        }


@dataclass(frozen=True, slots=True)
class OtherRecord:
    """A found record that is not a hit, and why."""

    record_id: str
    record_type: str
    agency: str
    status: str
    reason: NoHitReason
    detail: str
    match: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            **_record_fields(self),
            "match_quality": str(self.match.get("quality", MatchQuality.EXACT)),
            "reason": str(self.reason),
            "detail": self.detail,
            "match": self.match,
        }


@dataclass(frozen=True, slots=True)
class Answer:
    inquiry_id: str
    kind: str
    asked: dict[str, str]
    hits: list[Hit]
    others: list[OtherRecord]
    complete: bool
    notice: str = field(default=LEAD_NOT_PROOF)

    @property
    def hit(self) -> bool:
        return bool(self.hits)

    @property
    def exact_hit(self) -> bool:
        """A hit on an exact key (or a name within tolerance), not only possible ones."""
        return any(h.quality != MatchQuality.CONFUSABLE for h in self.hits)

    def to_json(self) -> dict[str, Any]:
        return {
            "inquiry_id": self.inquiry_id,
            "kind": self.kind,
            "hit": self.hit,
            "exact_hit": self.exact_hit,
            "hit_count": len(self.hits),
            "hits": [h.to_json() for h in self.hits],
            "other_records": [o.to_json() for o in self.others],
            "complete": self.complete,
            "asked": self.asked,
            "notice": self.notice,
        }


def _match_of(match: Match, plate_state: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "key_kind": match.key_kind,
        "exact": match.exact,
        "quality": str(match.quality),
    }
    if match.evidence is not None:
        out |= {"score": match.score, **match.evidence.to_json()}
    if match.key_kind == "name":
        given, first, second, born = name_parts(match.key)
        out |= {
            "name": " ".join(p for p in (given, first, second) if p),
            "date_of_birth": born or None,
            "score": match.score,
        }
    if match.role:
        out["role"] = match.role
    if match.via is not None:
        out["via"] = match.via
        out["link_score"] = match.link_score
    if plate_state is not None:
        state = match.record.data.get("plate_state")
        out["plate_state"] = state
        out["same_state"] = state == plate_state if state else None
    return out


def _summary(record: Envelope) -> dict[str, Any]:
    fields = _SUMMARY_FIELDS.get(record.record_type, ())
    return {f: record.data[f] for f in fields if record.data.get(f) not in (None, "", [])}


def confirmation_handle(inquiry_id: str, record: Envelope) -> dict[str, str]:
    """What ``POST /api/v1/confirmations`` takes (with a priority) to confirm this hit."""
    return {"inquiry_id": inquiry_id, "record_id": record.id, "owner_agency": record.agency}


def build_answer(
    inquiry_id: str,
    kind: str,
    asked: dict[str, str],
    matches: list[Match],
    complete: bool,
    today: date,
    plate_state: str | None = None,
) -> Answer:
    """Judge every match and order them: hits first (most urgent, armed first), then others;
    in each, exact matches before possible (confusable) ones."""
    judged = [(m, judge(m.record, today, role=m.role)) for m in matches]
    judged.sort(
        key=lambda mj: (
            mj[1].hit is None,
            mj[0].evidence is not None,
            record_order(mj[0].record, mj[1].hit),
        )
    )
    hits: list[Hit] = []
    others: list[OtherRecord] = []
    for match, judgement in judged:
        record = match.record
        if judgement.hit is not None:
            remarks = record.data.get("caveats")
            hits.append(
                Hit(
                    record.id,
                    record.record_type,
                    record.agency,
                    str(record.status),
                    judgement.hit,
                    record_date(record),
                    caveats_of(record, judgement.hit),
                    GUIDANCE[judgement.hit],
                    _match_of(match, plate_state),
                    _summary(record),
                    {
                        "inquiry_id": inquiry_id,
                        "record_id": record.id,
                        "owner_agency": record.agency,
                    },
                    str(remarks) if remarks else None,
                )
            )
        else:
            assert judgement.reason is not None
            others.append(
                OtherRecord(
                    record.id,
                    record.record_type,
                    record.agency,
                    str(record.status),
                    judgement.reason,
                    judgement.detail,
                    _match_of(match, plate_state),
                )
            )
    return Answer(inquiry_id, kind, asked, hits, others, complete)
