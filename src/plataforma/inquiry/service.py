"""Hit/no-hit inquiries: authorise, look up, judge, log and audit, then answer.

The order matters. The policy decides first (a purpose is required); the query is checked
and turned into index keys; the store is read under the caller's visibility, so a record the
caller may not read changes nothing in the answer (hit flag, counts, order); every found
record is judged by ``records.hits``, the rules search uses too. The audit event and the
inquiry log are committed together, before the answer is returned: nothing is answered
that is not on record.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from plataforma.inquiry.answer import Answer, build_answer
from plataforma.inquiry.log import log_rows
from plataforma.inquiry.lookup import find
from plataforma.inquiry.national import through_national_person
from plataforma.inquiry.queries import InquiryKind, Query
from plataforma.model.envelope import Envelope
from plataforma.records.errors import Forbidden
from plataforma.records.service import facts
from plataforma.security import policy
from plataforma.security.audit import AuditAction, AuditEvent, Outcome
from plataforma.security.principal import Principal
from plataforma.security.services import PlatformServices as Platform
from plataforma.store.ids import uuid7


def inquire(
    platform: Platform,
    principal: Principal,
    query: Query,
    purpose: policy.Purpose | None,
    *,
    today: date | None = None,
) -> Answer:
    """Answer ``query`` for ``principal``: the hits first, each a lead to confirm."""
    decision = policy.can_query(principal, purpose)
    if not decision:
        platform.audit.record(
            AuditEvent.of(
                principal,
                AuditAction.INQUIRY,
                Outcome.DENIED,
                record_type=str(query.kind),
                purpose=purpose,
                detail={"reason": decision.reason},
            )
        )
        raise Forbidden(decision.reason)
    assert purpose is not None
    plan = query.plan()

    def readable(record: Envelope) -> bool:
        return bool(policy.can_read(principal, facts(record), purpose))

    rule = policy.visibility(principal, purpose)
    with platform.engine.connect() as conn:
        found = find(conn, plan, readable, rule)
        matches = found.matches
        if query.kind is InquiryKind.PERSON:
            matches = [*matches, *through_national_person(conn, matches, rule, readable)]
    now = datetime.now(UTC)
    answer = build_answer(
        uuid7(),
        str(query.kind),
        plan.asked,
        matches,
        found.complete,
        today or now.date(),
        plan.plate_state,
    )
    event = AuditEvent.of(
        principal,
        AuditAction.INQUIRY,
        record_type=str(query.kind),
        purpose=purpose,
        detail={
            "inquiry_id": answer.inquiry_id,
            "keys": [f"{k}:{v}" for k, v in plan.logged],
            "hit": answer.hit,
            "hits": [h.record_id for h in answer.hits],
            "others": [o.record_id for o in answer.others],
        },
        at=now,
    )
    platform.audit.record(event, log_rows(answer, principal, str(purpose), plan.logged, now))
    return answer
