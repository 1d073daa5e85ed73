"""The review queue: uncertain pairs an analyst accepts ("same person") or rejects.

A pair is shown only when the caller may read both records (one cannot judge what one cannot
see), side by side with the per-field explanation; deciding it is a judgement like any other
(audited, reversible, applied at once), and the queue row keeps who decided and which
judgement it became.
"""

from __future__ import annotations

from typing import Any

from plataforma.errors import Forbidden, NotFound
from plataforma.security import policy
from plataforma.security.audit import AuditAction, Outcome
from plataforma.security.principal import Principal

from .judgements import Verdict
from .links import ReviewStatus, get_review, links_of_records, open_reviews
from .service import Caller, JudgementConflict, PersonService

__all__ = ["ReviewService"]

_SCAN = 500  # open rows read per page of readable ones (the rest may be others' records)


class ReviewService(PersonService):
    def queue(
        self, principal: Principal, purpose: policy.Purpose | None, after: int = 0, limit: int = 20
    ) -> dict[str, Any]:
        """Open pairs the caller may judge, oldest first; ``next_cursor`` pages on."""
        caller = Caller(principal, purpose)
        decision = policy.can_judge_persons(principal, purpose)
        if not decision:
            self._audit(caller, AuditAction.QUERY, Outcome.DENIED, reason=decision.reason)
            raise Forbidden(decision.reason)
        items: list[dict[str, Any]] = []
        cursor = after
        with self.platform.engine.connect() as conn:
            while len(items) < limit:
                rows = open_reviews(conn, cursor, _SCAN)
                if not rows:
                    cursor = 0
                    break
                found = self._records(
                    conn, [r.left_record for r in rows] + [r.right_record for r in rows]
                )
                links = {link.mention_id: link for link in links_of_records(conn, list(found))}
                for row in rows:
                    cursor = row.id
                    left, right = found.get(row.left_record), found.get(row.right_record)
                    a, b = links.get(row.left_mention), links.get(row.right_mention)
                    if not (left and right and a and b):
                        continue
                    if not (self._readable(caller, left) and self._readable(caller, right)):
                        continue
                    pair = {row.left_mention, row.right_mention}
                    items.append(
                        {
                            "id": row.id,
                            "probability": row.probability,
                            "explanation": self.explanation_for(caller, row.explanation, pair),
                            "left": self._member(caller, a, left, pair),
                            "right": self._member(caller, b, right, pair),
                            "same_person_now": a.person_id == b.person_id,
                            "created_at": row.created_at.isoformat() if row.created_at else None,
                        }
                    )
                    if len(items) == limit:
                        break
                if len(rows) < _SCAN and len(items) < limit:
                    cursor = 0
                    break
        self._audit(caller, AuditAction.QUERY, Outcome.OK, review_items=[i["id"] for i in items])
        return {"items": items, "next_cursor": str(cursor) if cursor else None}

    def decide(
        self,
        principal: Principal,
        review_id: int,
        accept: bool,
        reason: str,
        purpose: policy.Purpose | None,
    ) -> dict[str, Any]:
        """Accept (same person) or reject (not the same) an open pair."""
        with self.platform.engine.connect() as conn:
            row = get_review(conn, review_id)
        if row is None:
            raise NotFound(f"no review item {review_id}")
        if row.status != ReviewStatus.OPEN:
            raise JudgementConflict(f"review item {review_id} was already {row.status}")
        verdict = Verdict.SAME if accept else Verdict.NOT_SAME
        stored = self.judge(
            principal, row.left_mention, row.right_mention, verdict, reason, purpose
        )
        # The judgement closed the pair's review (with its id), whoever asked.
        status = ReviewStatus.ACCEPTED if accept else ReviewStatus.REJECTED
        return {"id": review_id, "status": status, "judgement": stored.to_json()}
