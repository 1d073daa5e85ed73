"""Analysts and the national person: the person's page, judgements, the review queue.

Every act is authorised by the policy (role, purpose, and each record read as any read is:
clearance, restricted file, jurisdiction) and audited through `AuditEvent.of`. What a caller
sees of a person is only the records they may read; how many others it holds is said only to
the roles the policy lets count them, and never which. An explanation names comparisons and
levels ("surnames: both similar, +9.2"), never a field's value, and the record it was
compared against is named only when the caller may read it. A link is a lead, not proof.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from plataforma.errors import Forbidden, NotFound, RecordError
from plataforma.model.envelope import Envelope
from plataforma.records.hits import caveats_of, hit_of
from plataforma.records.service import facts
from plataforma.security import policy
from plataforma.security.audit import AuditAction, AuditEvent, Outcome
from plataforma.security.principal import Principal
from plataforma.security.services import PlatformServices
from plataforma.store.engine import begin_write
from plataforma.store.reader import to_envelope
from plataforma.store.tables import records

from .judgements import Judgement, Verdict
from .links import (
    LinkRow,
    StoredJudgement,
    active_judgements,
    add_judgement,
    close_reviews_of_pair,
    get_judgement,
    judgements_of,
    links_of_persons,
    links_of_records,
    revoke_judgement,
)
from .national import national_index
from .records import split_mention_id
from .regroup import regroup_persons

__all__ = ["LEAD_NOT_PROOF", "JudgementConflict", "PersonService"]

LEAD_NOT_PROOF = (
    "A link between records is a lead, not proof: confirm identity with the owning agencies"
    " before acting on it."
)
NO_SUCH_PERSON = "no such person among the records you may read"


class JudgementConflict(RecordError):
    status = 409
    title = "Conflict"


@dataclass(frozen=True, slots=True)
class Caller:
    principal: Principal
    purpose: policy.Purpose | None


class PersonService:
    def __init__(self, platform: PlatformServices) -> None:
        self.platform = platform

    # --- reading ------------------------------------------------------------------------

    def _audit(self, caller: Caller, action: AuditAction, outcome: Outcome, **detail: Any) -> None:
        self.platform.audit.record(
            AuditEvent.of(
                caller.principal,
                action,
                outcome,
                record_type="national_person",
                record_id=str(detail.pop("person_id", "") or "") or None,
                purpose=caller.purpose,
                detail=detail,
            )
        )

    def _readable(self, caller: Caller, record: Envelope) -> bool:
        return bool(policy.can_read(caller.principal, facts(record), caller.purpose))

    def _records(self, conn: Connection, ids: Sequence[str]) -> dict[str, Envelope]:
        if not ids:
            return {}
        rows = conn.execute(select(records).where(records.c.id.in_(list(set(ids)))))
        return {row.id: to_envelope(row) for row in rows}

    def _person_of(self, conn: Connection, any_id: str) -> str | None:
        """The current person of a person id, mention id or record id."""
        if links_of_persons(conn, [any_id]):
            return any_id
        record_id, ordinal = split_mention_id(any_id)
        for row in links_of_records(conn, [record_id]):
            if row.ordinal == ordinal:
                return row.person_id
        return None

    def explanation_for(
        self, caller: Caller, explanation: dict[str, Any], readable_mentions: set[str]
    ) -> dict[str, Any]:
        """An explanation as ``caller`` may see it: the record it names only if readable."""
        against = explanation.get("against")
        shown = dict(explanation)
        if against is not None and against not in readable_mentions:
            shown["against"] = None
            shown["against_withheld"] = True
        return shown

    def person(
        self, principal: Principal, person_id: str, purpose: policy.Purpose | None
    ) -> dict[str, Any]:
        """The national person with the records the caller may read, and its judgements."""
        caller = Caller(principal, purpose)
        decision = policy.can_query(principal, purpose)
        if not decision:
            self._audit(
                caller,
                AuditAction.READ,
                Outcome.DENIED,
                person_id=person_id,
                reason=decision.reason,
            )
            raise policy_error(decision)
        with self.platform.engine.connect() as conn:
            current = self._person_of(conn, person_id)
            members = links_of_persons(conn, [current]) if current else []
            found = self._records(conn, [m.record_id for m in members])
            judged = judgements_of(conn, [m.mention_id for m in members])
        visible = [
            m
            for m in members
            if m.record_id in found and self._readable(caller, found[m.record_id])
        ]
        # The id asked must name a record the caller may read: else the answer would tell
        # which person an unreadable record belongs to (a confirmation oracle).
        named = {m.mention_id for m in visible} | {m.record_id for m in visible}
        if person_id not in named:
            visible = []
        if not visible:
            self._audit(
                caller, AuditAction.READ, Outcome.DENIED, person_id=person_id, reason=NO_SUCH_PERSON
            )
            raise NotFound(NO_SUCH_PERSON)
        readable = {m.mention_id for m in visible}
        withheld = len({m.record_id for m in members}) - len({m.record_id for m in visible})
        out: dict[str, Any] = {
            # A person's id is its oldest record's mention id: shown only when readable.
            "person_id": current if current in readable else None,
            "person_ref": current if current in readable else visible[0].mention_id,
            "records": [self._member(caller, m, found[m.record_id], readable) for m in visible],
            "judgements": self._visible_judgements(caller, judged, readable),
            "notice": LEAD_NOT_PROOF,
        }
        if policy.can_count_withheld(principal):
            out["withheld_count"] = withheld
        self._audit(
            caller,
            AuditAction.READ,
            Outcome.OK,
            person_id=current,
            records=sorted({m.record_id for m in visible}),
        )
        return out

    def _visible_judgements(
        self, caller: Caller, judged: Sequence[StoredJudgement], readable: set[str]
    ) -> list[dict[str, Any]]:
        """Judgements on this person's readable mentions whose other side is readable too."""
        others = {
            split_mention_id(m)[0]
            for j in judged
            for m in (j.judgement.left, j.judgement.right)
            if m not in readable
        }
        with self.platform.engine.connect() as conn:
            found = self._records(conn, list(others))
        seen = {rid for rid, r in found.items() if self._readable(caller, r)}

        def shown(mention: str) -> bool:
            return mention in readable or split_mention_id(mention)[0] in seen

        return [
            j.to_json()
            for j in judged
            if (j.judgement.left in readable or j.judgement.right in readable)
            and shown(j.judgement.left)
            and shown(j.judgement.right)
        ]

    def _member(
        self, caller: Caller, link: LinkRow, record: Envelope, readable: set[str]
    ) -> dict[str, Any]:
        data = record.data
        fields = data
        if link.role == "protected":
            fields = data.get("protected") or {}
        elif record.record_type == "incident":
            blocks = [
                *(data.get("persons") or ()),
                *((d.get("person") or {}) for d in data.get("detentions") or ()),
            ]
            fields = blocks[link.ordinal] if link.ordinal < len(blocks) else {}
        hit = hit_of(record, datetime.now(UTC).date())
        return {
            "mention_id": link.mention_id,
            "record_id": record.id,
            "record_type": record.record_type,
            "agency": record.agency,
            "marking": str(record.marking),
            "status": str(record.status),
            "hit": str(hit) if hit else None,
            "caveats": [str(c) for c in caveats_of(record, hit)],
            "role": link.role,
            "name": " ".join(
                str(fields.get(k) or "") for k in ("given_names", "first_surname", "second_surname")
            ).strip(),
            "date_of_birth": fields.get("date_of_birth"),
            "curp": fields.get("curp"),
            "sex": fields.get("sex"),
            "link_score": link.match_score,
            "explanation": self.explanation_for(caller, link.explanation, readable),
            "model_version": link.model_version,
        }

    # --- judging ------------------------------------------------------------------------

    def _authorise_pair(
        self, conn: Connection, caller: Caller, left: str, right: str
    ) -> tuple[LinkRow, LinkRow]:
        decision = policy.can_judge_persons(caller.principal, caller.purpose)
        if not decision:
            raise policy_error(decision)
        ids = [split_mention_id(left)[0], split_mention_id(right)[0]]
        rows = {r.mention_id: r for r in links_of_records(conn, ids)}
        found = self._records(conn, ids)
        pair = []
        for mention in (left, right):
            link = rows.get(mention)
            record = found.get(split_mention_id(mention)[0])
            # One answer for "no such mention" and "not yours to read": nothing leaks.
            if link is None or record is None or not self._readable(caller, record):
                raise NotFound(f"no linked person mention {mention} among the records you may read")
            pair.append(link)
        return pair[0], pair[1]

    def judge(
        self,
        principal: Principal,
        left: str,
        right: str,
        verdict: Verdict,
        reason: str,
        purpose: policy.Purpose | None,
    ) -> StoredJudgement:
        """Record "same" or "not the same" on two mentions and apply it at once."""
        caller = Caller(principal, purpose)
        if left == right:
            raise JudgementConflict("a mention is always the same person as itself")
        if verdict is Verdict.UNSURE:
            raise JudgementConflict("only 'same' and 'not_same' change the index")
        try:
            with begin_write(self.platform.engine) as conn:
                a, b = self._authorise_pair(conn, caller, left, right)
                for existing in active_judgements(conn, [left, right]):
                    if existing.judgement.verdict is not verdict:
                        raise JudgementConflict(
                            f"judgement {existing.id} says {existing.judgement.verdict}:"
                            " revoke it first"
                        )
                stored = add_judgement(
                    conn,
                    Judgement(left, right, verdict),
                    principal.username,
                    principal.agency,
                    reason,
                )
                close_reviews_of_pair(
                    conn,
                    left,
                    right,
                    "accepted" if verdict is Verdict.SAME else "rejected",
                    principal.username,
                    stored.id,
                )
                moved = regroup_persons(conn, self.platform.settings, {a.person_id, b.person_id})
        except (NotFound, Forbidden) as error:
            self._audit(
                caller,
                AuditAction.JUDGEMENT,
                Outcome.DENIED,
                left=left,
                right=right,
                reason=str(error),
            )
            raise
        self._audit(
            caller,
            AuditAction.JUDGEMENT,
            Outcome.OK,
            person_id=a.person_id,
            judgement_id=stored.id,
            verdict=str(verdict),
            left=left,
            right=right,
            moved=moved,
        )
        national_index(self.platform.settings, self.platform.engine).sync()
        return stored

    def revoke(
        self, principal: Principal, judgement_id: int, purpose: policy.Purpose | None
    ) -> StoredJudgement:
        """Revoke a judgement (a new fact on it) and resolve its persons again."""
        caller = Caller(principal, purpose)
        try:
            with begin_write(self.platform.engine) as conn:
                stored = get_judgement(conn, judgement_id)
                if stored is None:
                    raise NotFound(f"no judgement {judgement_id}")
                a, b = self._authorise_pair(
                    conn, caller, stored.judgement.left, stored.judgement.right
                )
                if not revoke_judgement(conn, judgement_id, principal.username):
                    raise JudgementConflict(f"judgement {judgement_id} was already revoked")
                moved = regroup_persons(conn, self.platform.settings, {a.person_id, b.person_id})
                revoked = get_judgement(conn, judgement_id)
        except (NotFound, Forbidden) as error:
            self._audit(
                caller,
                AuditAction.JUDGEMENT,
                Outcome.DENIED,
                judgement_id=judgement_id,
                reason=str(error),
            )
            raise
        self._audit(
            caller,
            AuditAction.JUDGEMENT,
            Outcome.OK,
            person_id=a.person_id,
            judgement_id=judgement_id,
            revoked=True,
            moved=moved,
        )
        national_index(self.platform.settings, self.platform.engine).sync()
        assert revoked is not None
        return revoked


def policy_error(decision: policy.Decision) -> RecordError:
    return Forbidden(decision.reason)
