"""Every read and write of a record goes through here: validate, authorise, store, audit.

The web layer and the CLI both call this service, so a rule written once holds for the API,
the bulk importer and the UI alike.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from plataforma.model.envelope import Envelope, Marking
from plataforma.model.records import RecordBody, UnknownRecordType, record_model
from plataforma.records.authorise import authorise_write
from plataforma.records.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidRecord,
    NotFound,
    field_errors,
)
from plataforma.records.visibility import visible_clause
from plataforma.security import agencies, policy
from plataforma.security.audit import AuditAction, AuditEvent, Outcome, append
from plataforma.security.principal import Principal
from plataforma.security.services import PlatformServices as Platform
from plataforma.store import reader
from plataforma.store.deferred import InsertQueue
from plataforma.store.engine import begin_write
from plataforma.store.prepare import PreparedRecord
from plataforma.store.writer import (
    MayReplace,
    ReplaceRefused,
    StoredFacts,
    VersionConflict,
    WriteResult,
    update_record,
    write_records,
)

log = logging.getLogger(__name__)


def validate(record_type: str, payload: Mapping[str, Any]) -> RecordBody:
    """A typed record from ``payload``, or :class:`InvalidRecord` naming each bad field."""
    try:
        model = record_model(record_type)
    except UnknownRecordType as error:
        raise InvalidRecord([FieldError("/record_type", str(error))]) from None
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        raise InvalidRecord(field_errors(error)) from None


def audit_query(
    platform: Platform,
    principal: Principal,
    purpose: policy.Purpose | None,
    detail: Mapping[str, object],
    outcome: Outcome = Outcome.OK,
    record_type: str | None = None,
) -> None:
    """Record a search or listing: who asked, why, and which records came back."""
    platform.audit.record(
        AuditEvent.of(
            principal,
            AuditAction.QUERY,
            outcome,
            record_type=record_type,
            purpose=purpose,
            detail=dict(detail),
        )
    )


def facts(envelope: Envelope) -> policy.RecordFacts:
    return policy.RecordFacts(
        envelope.record_type,
        envelope.agency,
        Marking(envelope.marking),
        envelope.state,
        envelope.restricted_file,
    )


def stored_facts(existing: StoredFacts) -> policy.RecordFacts:
    return policy.RecordFacts(
        existing.record_type,
        existing.agency,
        Marking(existing.marking),
        existing.state,
        existing.restricted_file,
    )


def overwrite_guard(principal: Principal) -> MayReplace:
    """The writer's ``may_replace`` for ``principal``: :func:`policy.can_overwrite`."""

    def may_replace(existing: StoredFacts) -> bool:
        return bool(policy.can_overwrite(principal, stored_facts(existing)))

    return may_replace


def _not_found(record_type: str | None, record_id: str) -> str:
    return f"no {record_type} record {record_id}" if record_type else f"no record {record_id}"


@dataclass(frozen=True, slots=True)
class WithheldVersion:
    """A version the caller may not see: only that it exists, and its number."""

    version: int

    @property
    def withheld(self) -> bool:
        return True


HistoryEntry = reader.VersionEntry | WithheldVersion


@dataclass
class RecordService:
    platform: Platform

    def prepare_for(self, principal: Principal, body: RecordBody) -> PreparedRecord:
        """Prepare ``body`` and check the caller may write it (owner defaults to the caller)."""
        check = authorise_write(principal, body, self._known_owner)
        item = check.item
        if not check.decision:
            self._deny(principal, AuditAction.WRITE, check.decision.reason, item.record_type, None)
            raise Forbidden(policy.WRITE_REFUSED)
        if check.unknown_owner:
            raise InvalidRecord([FieldError("/agency", f"unknown agency {item.agency}")])
        return item

    def _known_owner(self, record_type: str, owner: str, source_ref: str) -> bool:
        with self.platform.engine.connect() as conn:
            return not agencies.unknown_owner(conn, record_type, owner, source_ref)

    def write(
        self,
        principal: Principal,
        items: Sequence[PreparedRecord],
        action: AuditAction = AuditAction.WRITE,
    ) -> list[WriteResult]:
        """Store ``items`` and their audit events in one transaction; durable on return."""

        def events(results: list[WriteResult]) -> list[AuditEvent]:
            return [self._write_event(principal, r, action) for r in results]

        guard = overwrite_guard(principal)
        for attempt in (1, 2):
            try:
                if self.platform.batcher is not None:
                    return self.platform.batcher.write(items, principal.username, events, guard)
                with begin_write(self.platform.engine) as conn:
                    deferred = InsertQueue()
                    results = write_records(
                        conn, items, principal.username, deferred=deferred, may_replace=guard
                    )
                    append(conn, events(results), deferred)
                    deferred.flush(conn)
                return results
            except ReplaceRefused as error:
                self._refuse_replacement(principal, action, error)
            except IntegrityError:
                # Two writers created the same source_ref at once: the retry sees the winner's
                # row and turns this write into an update (or a no-op).
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def submit(
        self, principal: Principal, record_type: str, payload: Mapping[str, Any]
    ) -> WriteResult:
        body = validate(record_type, payload)
        return self.write(principal, [self.prepare_for(principal, body)])[0]

    def replace(
        self,
        principal: Principal,
        record_type: str,
        record_id: str,
        payload: Mapping[str, Any],
        expected_version: int,
    ) -> WriteResult:
        """``PUT`` with ``If-Match``: the caller must own the record and name its version.

        The record the caller may not read is refused before anything about it is compared
        (type, source_ref, version), so the answer tells nothing about it; the check is made
        again inside the transaction, against the row being replaced.
        """
        current = self._get_unchecked(record_id, record_type)
        decision = policy.can_overwrite(principal, facts(current))
        if not decision:
            self._deny(
                principal, AuditAction.WRITE, decision.reason, current.record_type, record_id
            )
            raise Forbidden(policy.WRITE_REFUSED)
        if current.record_type != record_type:
            raise NotFound(_not_found(record_type, record_id))
        body = validate(record_type, payload)
        item = self.prepare_for(principal, body)
        if (item.agency, item.source_ref) != (current.agency, current.source_ref):
            raise InvalidRecord([FieldError("/source_ref", "agency and source_ref cannot change")])
        try:
            with begin_write(self.platform.engine) as conn:
                result = update_record(
                    conn,
                    record_id,
                    item,
                    expected_version,
                    principal.username,
                    overwrite_guard(principal),
                )
                append(conn, [self._write_event(principal, result, AuditAction.WRITE)])
        except VersionConflict as error:
            raise Conflict(str(error)) from None
        except ReplaceRefused as error:
            self._refuse_replacement(principal, AuditAction.WRITE, error)
        return result

    def get(
        self,
        principal: Principal,
        record_id: str,
        purpose: policy.Purpose | None,
        record_type: str | None = None,
    ) -> Envelope:
        """One record; with ``record_type``, a record of another type is "no such record".

        A record the caller may not read is refused whatever type was asked for, so the
        answer does not tell its type either.
        """
        record = self._get_unchecked(record_id, record_type)
        self._authorise_read(principal, record, purpose, record_type)
        return record

    def history(
        self,
        principal: Principal,
        record_id: str,
        purpose: policy.Purpose | None,
        record_type: str | None = None,
    ) -> list[HistoryEntry]:
        """Every version, each shown only if its own marking and file let the caller read it."""
        record = self.get(principal, record_id, purpose, record_type)
        return self.visible_history(principal, record, purpose)

    def visible_history(
        self, principal: Principal, record: Envelope, purpose: policy.Purpose | None
    ) -> list[HistoryEntry]:
        """The versions of ``record`` (already authorised), earlier higher markings withheld.

        A record downgraded from SECRET to PUBLIC keeps its SECRET versions; they are judged
        as SECRET records of their own (the record's agency and state, the version's marking
        and restricted file), and shown only as "withheld" to whoever may not read them.
        """
        with self.platform.engine.connect() as conn:
            versions = reader.history(conn, record.id)
        out: list[HistoryEntry] = []
        for entry in versions:
            version_facts = policy.RecordFacts(
                record.record_type,
                record.agency,
                Marking(entry.marking),
                record.state,
                entry.restricted_file,
            )
            if policy.can_read(principal, version_facts, purpose):
                out.append(entry)
            else:
                out.append(WithheldVersion(entry.version))
        return out

    def page(
        self, principal: Principal, record_type: str, purpose: policy.Purpose | None, **filters: Any
    ) -> tuple[list[Envelope], str | None]:
        """A page of the records the caller may see, and the next page's cursor (None at the end).

        The read policy is applied in SQL (:func:`policy.visibility`), so the page holds only
        visible rows, the cursor is the last of them, and a cursor is handed out only when
        another visible row follows: nothing in the answer depends on rows the caller may
        not see.
        """
        decision = policy.can_query(principal, purpose)
        if not decision:
            self._deny(principal, AuditAction.QUERY, decision.reason, record_type, None)
            raise Forbidden(decision.reason)
        limit = int(filters.pop("limit", 50))
        clause = visible_clause(policy.visibility(principal, purpose))
        with self.platform.engine.connect() as conn:
            rows = reader.list_records(
                conn, record_type, limit=limit + 1, visible=clause, **filters
            )
        more = len(rows) > limit
        visible = self.readable(principal, rows[:limit], purpose)
        detail = {
            "filters": {k: v for k, v in {**filters, "limit": limit}.items() if v is not None},
            "returned": len(visible),
            "ids": [r.id for r in visible],
        }
        audit_query(self.platform, principal, purpose, detail, record_type=record_type)
        return visible, visible[-1].id if more and visible else None

    @staticmethod
    def readable(
        principal: Principal, rows: Sequence[Envelope], purpose: policy.Purpose | None
    ) -> list[Envelope]:
        """``rows`` (already filtered in SQL) checked again by :func:`policy.can_read`.

        The two must agree (a test proves it); a row the SQL let through and the policy does
        not is dropped and logged as the defect it is.
        """
        kept = [r for r in rows if policy.can_read(principal, facts(r), purpose)]
        if len(kept) != len(rows):
            log.error("visibility filter let %d hidden row(s) through", len(rows) - len(kept))
        return kept

    def list(
        self, principal: Principal, record_type: str, purpose: policy.Purpose | None, **filters: Any
    ) -> list[Envelope]:
        """A page of records the caller may see; hidden ones are left out, not errors."""
        return self.page(principal, record_type, purpose, **filters)[0]

    def _get_unchecked(self, record_id: str, record_type: str | None = None) -> Envelope:
        with self.platform.engine.connect() as conn:
            record = reader.get_record(conn, record_id)
        if record is None:
            raise NotFound(_not_found(record_type, record_id))
        return record

    def _authorise_read(
        self,
        principal: Principal,
        record: Envelope,
        purpose: policy.Purpose | None,
        record_type: str | None = None,
    ) -> None:
        decision = policy.can_read(principal, facts(record), purpose)
        if decision and record_type is not None and record.record_type != record_type:
            # Asked under another type: the same answer as for an id that does not exist.
            raise NotFound(_not_found(record_type, record.id))
        outcome = Outcome.OK if decision else Outcome.DENIED
        self.platform.audit.record(
            AuditEvent.of(
                principal,
                AuditAction.READ,
                outcome,
                record_type=record.record_type,
                record_id=record.id,
                purpose=purpose,
                detail={} if decision else {"reason": decision.reason},
            )
        )
        if not decision:
            raise Forbidden(decision.reason)

    def _deny(
        self,
        principal: Principal,
        action: AuditAction,
        reason: str,
        record_type: str | None,
        record_id: str | None,
    ) -> None:
        self.platform.audit.record(
            AuditEvent.of(
                principal,
                action,
                Outcome.DENIED,
                record_type=record_type,
                record_id=record_id,
                detail={"reason": reason},
            )
        )

    def _refuse_replacement(
        self, principal: Principal, action: AuditAction, error: ReplaceRefused
    ) -> NoReturn:
        """Audit why each replacement was refused; answer as any other refused write."""
        for existing in error.refused:
            reason = policy.can_overwrite(principal, stored_facts(existing)).reason
            self._deny(principal, action, reason, existing.record_type, existing.id)
        raise Forbidden(policy.WRITE_REFUSED) from None

    @staticmethod
    def _write_event(principal: Principal, result: WriteResult, action: AuditAction) -> AuditEvent:
        return AuditEvent.of(
            principal,
            action,
            record_type=result.record_type,
            record_id=result.id,
            detail={"version": result.version, "outcome": str(result.outcome)},
        )
