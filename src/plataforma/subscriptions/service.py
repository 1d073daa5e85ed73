"""Create, list and delete subscriptions: authorised by the policy, bounded, audited.

A subscription is a standing query: its purpose is required and recorded, its creation and
deletion are audited (``AuditAction.SUBSCRIPTION``) in the same transaction as the change,
and each user holds at most ``max_subscriptions_per_user``. A subscription to one record
needs the record to be readable by its subscriber now (the read is authorised and audited as
any other); the notices it produces are judged again, one by one.
"""

from __future__ import annotations

from dataclasses import dataclass

from plataforma.errors import FieldError, Forbidden, InvalidRecord, NotFound
from plataforma.records.service import RecordService
from plataforma.security import policy
from plataforma.security.audit import AuditAction, AuditEvent, Outcome, append
from plataforma.security.principal import AuthMethod, Principal
from plataforma.security.services import PlatformServices
from plataforma.store.engine import begin_write
from plataforma.subscriptions import repository
from plataforma.subscriptions.repository import Subscription
from plataforma.subscriptions.targets import RecordTarget, Target, normalise

MAX_PAGE = 100


def _not_found(subscription_id: str) -> NotFound:
    return NotFound(f"no subscription {subscription_id}")


@dataclass
class SubscriptionService:
    platform: PlatformServices

    def create(self, principal: Principal, target: Target) -> Subscription:
        decision = policy.can_subscribe(principal, target.purpose, target.desk)
        if not decision:
            self._audit(principal, Outcome.DENIED, target.purpose, {"reason": decision.reason})
            raise Forbidden(decision.reason)
        if principal.method is AuthMethod.API_KEY and not target.desk:
            # A system has no inbox of its own: its agency's desk reads what it follows.
            raise InvalidRecord([FieldError("/desk", "an agency system subscribes for its desk")])
        normalised = normalise(target)
        if isinstance(target, RecordTarget):
            # Raises NotFound/Forbidden (audited) for a record the caller may not read.
            record = RecordService(self.platform).get(principal, target.record_id, target.purpose)
            normalised = type(normalised)(
                normalised.keys,
                {"record_id": record.id, "record_type": record.record_type},
                f"{record.record_type} {record.id}",
            )
        if target.label:
            normalised = type(normalised)(normalised.keys, normalised.facts, target.label)
        limit = self.platform.settings.max_subscriptions_per_user
        with begin_write(self.platform.engine) as conn:
            if repository.count_owned(conn, principal.username) >= limit:
                raise InvalidRecord(
                    [FieldError("/kind", f"at most {limit} subscriptions per user")]
                )
            created = repository.create(
                conn,
                str(target.kind),
                principal.username,
                principal.agency,
                target.desk,
                str(target.purpose),
                normalised,
            )
            detail = {"kind": created.kind, "target": created.target, "desk": created.desk}
            append(conn, [self._event(principal, Outcome.OK, created, detail)])
        return created

    def page(
        self, principal: Principal, cursor: str | None, limit: int
    ) -> tuple[list[Subscription], str | None]:
        """The caller's subscriptions (and their agency's desk ones), after ``cursor``."""
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidRecord([FieldError("/limit", f"must be between 1 and {MAX_PAGE}")])
        with self.platform.engine.connect() as conn:
            rows = repository.page(conn, principal.username, principal.agency, cursor, limit + 1)
        more = len(rows) > limit
        return rows[:limit], rows[limit - 1].id if more else None

    def delete(self, principal: Principal, subscription_id: str) -> None:
        with begin_write(self.platform.engine) as conn:
            found = repository.get(conn, subscription_id)
            decision = (
                policy.can_manage_subscription(
                    principal, found.owner_user, found.agency, found.desk
                )
                if found
                else None
            )
            if found is None or not decision:
                # Someone else's subscription is answered as one that does not exist.
                raise _not_found(subscription_id)
            repository.remove(conn, subscription_id)
            append(conn, [self._event(principal, Outcome.OK, found, {"deleted": True})])

    def _event(
        self,
        principal: Principal,
        outcome: Outcome,
        subscription: Subscription,
        detail: dict[str, object],
    ) -> AuditEvent:
        return AuditEvent.of(
            principal,
            AuditAction.SUBSCRIPTION,
            outcome,
            record_type="subscription",
            record_id=subscription.id,
            purpose=subscription.purpose,
            detail=dict(detail),
        )

    def _audit(
        self, principal: Principal, outcome: Outcome, purpose: str | None, detail: dict[str, object]
    ) -> None:
        self.platform.audit.record(
            AuditEvent.of(
                principal, AuditAction.SUBSCRIPTION, outcome, purpose=purpose, detail=detail
            )
        )
