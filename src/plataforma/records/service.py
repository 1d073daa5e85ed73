"""Every read and write of a record goes through here: validate, authorise, store, audit.

The web layer and the CLI both call this service, so a rule written once holds for the API,
the bulk importer and the UI alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from plataforma.context import Platform
from plataforma.model.envelope import Envelope, Marking
from plataforma.model.records import RecordBody, UnknownRecordType, record_model
from plataforma.records.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidRecord,
    NotFound,
    field_errors,
)
from plataforma.security import agencies, policy
from plataforma.security.audit import AuditAction, AuditEvent, Outcome, append
from plataforma.security.principal import Principal
from plataforma.store import reader
from plataforma.store.deferred import InsertQueue
from plataforma.store.engine import begin_write
from plataforma.store.prepare import PreparedRecord, prepare
from plataforma.store.writer import VersionConflict, WriteResult, update_record, write_records


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
        AuditEvent(
            principal.username,
            principal.agency,
            AuditAction.QUERY,
            outcome,
            record_type,
            purpose=purpose,
            source_ip=principal.source_ip,
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


@dataclass
class RecordService:
    platform: Platform

    def prepare_for(self, principal: Principal, body: RecordBody) -> PreparedRecord:
        """Prepare ``body`` and check the caller may write it (owner defaults to the caller)."""
        item = prepare(body, principal.agency)
        decision = policy.can_write(principal, item.record_type, item.agency)
        if not decision:
            self._deny(principal, AuditAction.WRITE, decision.reason, item.record_type, None)
            raise Forbidden(decision.reason)
        if item.agency != principal.agency:  # only administrators write for others
            with self.platform.engine.connect() as conn:
                if agencies.unknown_owner(conn, item.record_type, item.agency, item.source_ref):
                    raise InvalidRecord([FieldError("/agency", f"unknown agency {item.agency}")])
        return item

    def write(
        self,
        principal: Principal,
        items: Sequence[PreparedRecord],
        action: AuditAction = AuditAction.WRITE,
    ) -> list[WriteResult]:
        """Store ``items`` and their audit events in one transaction; durable on return."""

        def events(results: list[WriteResult]) -> list[AuditEvent]:
            return [self._write_event(principal, r, action) for r in results]

        for attempt in (1, 2):
            try:
                if self.platform.batcher is not None:
                    return self.platform.batcher.write(items, principal.username, events)
                with begin_write(self.platform.engine) as conn:
                    deferred = InsertQueue()
                    results = write_records(conn, items, principal.username, deferred=deferred)
                    append(conn, events(results), deferred)
                    deferred.flush(conn)
                return results
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
        """``PUT`` with ``If-Match``: the caller must own the record and name its version."""
        current = self._get_unchecked(record_id)
        if current.record_type != record_type:
            raise NotFound(f"no {record_type} record {record_id}")
        body = validate(record_type, payload)
        item = self.prepare_for(principal, body)
        if (item.agency, item.source_ref) != (current.agency, current.source_ref):
            raise InvalidRecord([FieldError("/source_ref", "agency and source_ref cannot change")])
        try:
            with begin_write(self.platform.engine) as conn:
                result = update_record(conn, record_id, item, expected_version, principal.username)
                append(conn, [self._write_event(principal, result, AuditAction.WRITE)])
        except VersionConflict as error:
            raise Conflict(str(error)) from None
        return result

    def get(self, principal: Principal, record_id: str, purpose: policy.Purpose | None) -> Envelope:
        record = self._get_unchecked(record_id)
        self._authorise_read(principal, record, purpose)
        return record

    def history(
        self, principal: Principal, record_id: str, purpose: policy.Purpose | None
    ) -> list[reader.VersionEntry]:
        record = self.get(principal, record_id, purpose)
        with self.platform.engine.connect() as conn:
            return reader.history(conn, record.id)

    def page(
        self, principal: Principal, record_type: str, purpose: policy.Purpose | None, **filters: Any
    ) -> tuple[list[Envelope], str | None]:
        """A page of the records the caller may see, and the next page's cursor (None at the end).

        The cursor is the last record *scanned*, not the last one shown: a page whose tail
        the caller may not see must not end the listing early.
        """
        decision = policy.can_query(principal, purpose)
        if not decision:
            self._deny(principal, AuditAction.QUERY, decision.reason, record_type, None)
            raise Forbidden(decision.reason)
        with self.platform.engine.connect() as conn:
            rows = reader.list_records(conn, record_type, **filters)
        visible = [r for r in rows if policy.can_read(principal, facts(r), purpose)]
        detail = {
            "filters": {k: v for k, v in filters.items() if v is not None},
            "returned": len(visible),
            "ids": [r.id for r in visible],
        }
        audit_query(self.platform, principal, purpose, detail, record_type=record_type)
        full = len(rows) == filters.get("limit", 50)
        return visible, rows[-1].id if rows and full else None

    def list(
        self, principal: Principal, record_type: str, purpose: policy.Purpose | None, **filters: Any
    ) -> list[Envelope]:
        """A page of records the caller may see; hidden ones are left out, not errors."""
        return self.page(principal, record_type, purpose, **filters)[0]

    def _get_unchecked(self, record_id: str) -> Envelope:
        with self.platform.engine.connect() as conn:
            record = reader.get_record(conn, record_id)
        if record is None:
            raise NotFound(f"no record {record_id}")
        return record

    def _authorise_read(
        self, principal: Principal, record: Envelope, purpose: policy.Purpose | None
    ) -> None:
        decision = policy.can_read(principal, facts(record), purpose)
        outcome = Outcome.OK if decision else Outcome.DENIED
        self.platform.audit.record(
            AuditEvent(
                principal.username,
                principal.agency,
                AuditAction.READ,
                outcome,
                record.record_type,
                record.id,
                purpose,
                principal.source_ip,
                {} if decision else {"reason": decision.reason},
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
            AuditEvent(
                principal.username,
                principal.agency,
                action,
                Outcome.DENIED,
                record_type,
                record_id,
                None,
                principal.source_ip,
                {"reason": reason},
            )
        )

    @staticmethod
    def _write_event(principal: Principal, result: WriteResult, action: AuditAction) -> AuditEvent:
        return AuditEvent(
            principal.username,
            principal.agency,
            action,
            Outcome.OK,
            result.record_type,
            result.id,
            None,
            principal.source_ip,
            {"version": result.version, "outcome": str(result.outcome)},
        )
