"""The same car or gun in other files: every record sharing a plate, VIN or serial with one.

Agency A reports VIN 3VWFE21C04M000001 stolen; agency B recovers a car whose VIN its clerk
typed 3VWFE2lC04MOOOOO1. An analyst looking at either record asks "who else holds this
object?": the answer lists the records that share an exact key (the same object, as far as
identifiers go) and those that share only a skeleton (possibly the same object, misread),
each with its owning agency and what to compare. It is a query like any other: the record
is read under the policy (audited), the matches are read under the caller's visibility in
SQL and judged by the policy one by one, so a record the caller may not read is neither
listed nor counted, and the listing is audited with the ids it returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from plataforma.inquiry.lookup import Match, find
from plataforma.inquiry.objects import same_object_probes
from plataforma.inquiry.queries import KeyPlan
from plataforma.model.envelope import Envelope
from plataforma.records.errors import FieldError, Forbidden
from plataforma.records.hits import judge
from plataforma.records.search import InvalidQuery
from plataforma.records.service import RecordService, audit_query, facts
from plataforma.security import policy
from plataforma.security.audit import Outcome
from plataforma.security.principal import Principal
from plataforma.security.services import PlatformServices

__all__ = ["OBJECT_TYPES", "SameObject", "same_object"]

OBJECT_TYPES = ("vehicle", "firearm")


@dataclass(frozen=True, slots=True)
class SameObject:
    """The records of one object: ``record`` itself, then the others, exact ones first."""

    record: Envelope
    identifiers: dict[str, str]
    matches: list[Match]
    complete: bool

    def to_json(self) -> dict[str, Any]:
        today = datetime.now(UTC).date()
        return {
            "record_id": self.record.id,
            "record_type": self.record.record_type,
            "agency": self.record.agency,
            "identifiers": self.identifiers,
            "exact_count": sum(1 for m in self.matches if m.evidence is None),
            "possible_count": sum(1 for m in self.matches if m.evidence is not None),
            "records": [self._entry(m, today) for m in self.matches],
            "complete": self.complete,
        }

    def _entry(self, match: Match, today: Any) -> dict[str, Any]:
        found = match.record
        hit = judge(found, today).hit
        entry: dict[str, Any] = {
            "record_id": found.id,
            "record_type": found.record_type,
            "agency": found.agency,
            "same_agency": found.agency == self.record.agency,
            "status": str(found.status),
            "hit_kind": None if hit is None else str(hit),
            "match_quality": str(match.quality),
            "key_kind": match.key_kind,
            "score": match.score,
        }
        if match.evidence is not None:
            entry |= match.evidence.to_json()
        return entry


def same_object(
    platform: PlatformServices,
    principal: Principal,
    record_id: str,
    purpose: policy.Purpose | None,
    record_type: str | None = None,
) -> SameObject:
    """The other records of the vehicle or firearm ``record_id`` that ``principal`` may read.

    Raises ``Forbidden`` (audited) without the query right or the right to read the record,
    ``NotFound`` for an unknown record, ``InvalidQuery`` for a record that is not an object.
    """
    decision = policy.can_query(principal, purpose)
    if not decision:
        audit_query(platform, principal, purpose, {"reason": decision.reason}, Outcome.DENIED)
        raise Forbidden(decision.reason)
    assert purpose is not None
    record = RecordService(platform).get(principal, record_id, purpose, record_type)
    if record.record_type not in OBJECT_TYPES:
        raise InvalidQuery(
            [FieldError("/record_type", "same-object lists vehicles and firearms only")]
        )
    exact, possible, identifiers = same_object_probes(record.data)
    matches: list[Match] = []
    complete = True
    if exact or possible:

        def readable(found: Envelope) -> bool:
            return bool(policy.can_read(principal, facts(found), purpose))

        plan = KeyPlan(tuple(exact), possible=tuple(possible), asked=identifiers)
        with platform.engine.connect() as conn:
            found = find(conn, plan, readable, policy.visibility(principal, purpose))
        matches = [m for m in found.matches if m.record.id != record.id]
        matches.sort(key=lambda m: (m.evidence is not None, -m.score, m.record.agency, m.record.id))
        complete = found.complete
    detail = {
        "same_object_of": record.id,
        "identifiers": identifiers,
        "ids": [m.record.id for m in matches],
        "possible": [m.record.id for m in matches if m.evidence is not None],
    }
    audit_query(platform, principal, purpose, detail, record_type=record.record_type)
    return SameObject(record, identifiers, matches, complete)
