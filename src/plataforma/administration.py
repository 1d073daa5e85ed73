"""Administrative acts on agencies, users and API keys, shared by the CLI and the HTTP API.

Each act is checked (``can_administer``), performed and audited as ``admin`` in one place, so
``plataforma admin user add`` and ``POST /api/v1/admin/users`` cannot drift apart. The audit
row of a change is written in the change's own transaction: an account that exists was
audited. Refusals are audited too, because a refused attempt is what an auditor looks for.

It is an application module, above both ``security`` (the check, the accounts, the audit) and
``records`` (an agency's directory entry is a record, written through the records service):
inside ``security`` it made the two packages import each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, update

from plataforma.errors import FieldError, Forbidden, InvalidRecord, NotFound, RecordError
from plataforma.model.envelope import Envelope, Marking, RestrictedFile
from plataforma.records.service import RecordService
from plataforma.security import agencies, identity, policy
from plataforma.security.audit import AuditAction, AuditEvent, Outcome, append
from plataforma.security.password_policy import is_demo_name, password_weakness
from plataforma.security.passwords import provisioning_uri
from plataforma.security.principal import Principal, Role
from plataforma.security.services import PlatformServices as Platform
from plataforma.settings import Mode
from plataforma.store import reader
from plataforma.store.engine import begin_write
from plataforma.store.tables import api_keys, records, users
from plataforma.store.writer import WriteResult

IdentityError = identity.IdentityError


class AgencyExists(InvalidRecord):
    """``agency add`` of a code already in the directory: a conflict, not a silent update."""

    status = 409
    title = "Agency exists"

    def __init__(self, code: str) -> None:
        hint = f"change it with 'plataforma admin agency update {code}'"
        super().__init__([FieldError("/code", f"agency {code} already exists; {hint}")])


def find_agency(conn: Connection, code: str) -> Envelope | None:
    """Agency ``code``'s directory record, whoever owns it (its code is its source_ref)."""
    row = conn.execute(
        select(records.c.id)
        .where(records.c.record_type == "agency", records.c.source_ref == code)
        .limit(1)
    ).first()
    return reader.get_record(conn, row.id) if row else None


@dataclass(frozen=True)
class NewUser:
    """What the administrator must hand to the user once: the TOTP secret is never shown again."""

    user: identity.User
    totp_secret: str
    otpauth_uri: str


@dataclass(frozen=True)
class KeyEntry:
    prefix: str
    name: str
    agency: str
    roles: list[str]
    clearance: str
    created_at: datetime
    revoked_at: datetime | None


@dataclass
class Administration:
    """The administrator's operations, performed as ``principal``."""

    platform: Platform
    principal: Principal

    def _event(self, operation: str, outcome: Outcome, **detail: Any) -> AuditEvent:
        return AuditEvent.of(
            self.principal,
            AuditAction.ADMIN,
            outcome,
            purpose=policy.Purpose.ADMINISTRATION,
            detail={"operation": operation, **detail},
        )

    def _refuse(self, operation: str, reason: str, **detail: Any) -> None:
        with begin_write(self.platform.engine) as conn:
            append(conn, [self._event(operation, Outcome.DENIED, reason=reason, **detail)])

    @contextmanager
    def _act(self, operation: str, **detail: Any) -> Iterator[Connection]:
        """Check the right to administer, run the change, and audit it with its outcome."""
        decision = policy.can_administer(self.principal)
        if not decision:
            self._refuse(operation, decision.reason, **detail)
            raise Forbidden(decision.reason)
        try:
            with begin_write(self.platform.engine) as conn:
                yield conn
                append(conn, [self._event(operation, Outcome.OK, **detail)])
        except (IdentityError, NotFound) as error:
            self._refuse(operation, str(error), **detail)
            raise

    # --- agencies -------------------------------------------------------------------------

    def add_agency(self, code: str, fields: Mapping[str, Any]) -> WriteResult:
        """Register a new agency ``code``; it owns its own directory record.

        An agency that exists is refused (:class:`AgencyExists`), never overwritten: a second
        ``add`` with the same code is far more often a typo or a copied example than an
        intended change, and the change would silently move every user's jurisdiction.
        Changing an entry is :meth:`update_agency`. Two concurrent adds of one code can still
        meet in the store, where the second becomes a new version, as any record write would.
        """
        self._require_admin("agency.add", code)
        with self.platform.engine.connect() as conn:
            existing = find_agency(conn, code)
        if existing is not None:
            error = AgencyExists(code)
            self._refuse("agency.add", str(error), target=code)
            raise error
        payload = {k: v for k, v in fields.items() if v is not None}
        payload.update(source_ref=code, agency=code)
        return self._write_agency("agency.add", code, payload)

    def update_agency(self, code: str, changes: Mapping[str, Any]) -> WriteResult:
        """Change only the given fields (None: keep) of agency ``code``'s directory entry."""
        given = {k: v for k, v in changes.items() if v is not None}
        self._require_admin("agency.update", code)
        with self.platform.engine.connect() as conn:
            existing = find_agency(conn, code)
        if existing is None:
            error = NotFound(f"no agency '{code}'; register it with 'plataforma admin agency add'")
            self._refuse("agency.update", str(error), target=code)
            raise error
        payload = {**existing.data, **given}
        # The envelope is kept as stored: an update changes the directory entry, not its
        # owner, marking or retention.
        payload.update(
            source_ref=code,
            agency=existing.agency,
            marking=existing.marking,
            status=existing.status,
        )
        if existing.purge_after:
            payload["purge_after"] = existing.purge_after.isoformat()
        if existing.valid_until:
            payload["valid_until"] = existing.valid_until.isoformat()
        return self._write_agency("agency.update", code, payload, changed=sorted(given))

    def _require_admin(self, operation: str, code: str) -> None:
        decision = policy.can_administer(self.principal)
        if not decision:
            self._refuse(operation, decision.reason, target=code)
            raise Forbidden(decision.reason)

    def _write_agency(
        self, operation: str, code: str, payload: Mapping[str, Any], **detail: Any
    ) -> WriteResult:
        try:
            result = RecordService(self.platform).submit(self.principal, "agency", payload)
        except RecordError as error:
            self._refuse(operation, str(error), target=code)
            raise
        with begin_write(self.platform.engine) as conn:
            event = self._event(
                operation,
                Outcome.OK,
                target=code,
                record=result.id,
                result=str(result.outcome),
                **detail,
            )
            append(conn, [event])
        agencies.forget_agencies()
        return result

    def agency_entry(self, code: str) -> Envelope:
        with self._act("agency.get", target=code) as conn:
            entry = find_agency(conn, code)
            if entry is None:
                raise NotFound(f"no agency '{code}'")
        return entry

    def list_agencies(self) -> list[Envelope]:
        found: list[Envelope] = []
        with self._act("agency.list") as conn:
            after = None
            while page := reader.list_records(conn, "agency", after=after, limit=500):
                found.extend(page)
                after = page[-1].id
        return found

    # --- users ----------------------------------------------------------------------------

    def add_user(
        self,
        username: str,
        agency: str,
        roles: Iterable[Role],
        password: str,
        clearance: Marking = Marking.SBU,
        restricted: Iterable[RestrictedFile] = (),
        full_name: str | None = None,
    ) -> NewUser:
        role_list = sorted(Role(r) for r in roles)
        with self._act("user.add", target=username, agency=agency, roles=role_list) as conn:
            self._check_new_account(conn, username, agency, password)
            user = identity.create_user(
                conn,
                username,
                full_name or username,
                agency,
                role_list,
                password,
                clearance,
                restricted,
            )
        return NewUser(user, user.totp_secret, provisioning_uri(user.totp_secret, username))

    def _check_new_account(self, conn: Connection, username: str, agency: str, pw: str) -> None:
        if not username.strip() or len(username) > 64:
            raise IdentityError("username: 1 to 64 characters")
        if agencies.agency_facts(conn, agency) is None:
            raise IdentityError(f"agency: '{agency}' is not a registered agency")
        if self.platform.settings.mode is Mode.PRODUCTION:
            if is_demo_name(username):
                raise IdentityError("username: demo accounts are refused in production")
            weakness = password_weakness(pw, username)
            if weakness:
                raise IdentityError(f"password: {weakness}")

    def list_users(self, agency: str | None = None) -> list[identity.User]:
        with self._act("user.list", agency=agency) as conn:
            return identity.list_users(conn, agency)

    def set_active(self, username: str, active: bool) -> None:
        """Disable or enable an account; disabling also ends its open sessions' use."""
        with self._act("user.enable" if active else "user.disable", target=username) as conn:
            self._require_user(conn, username)
            identity.set_active(conn, username, active)

    def unlock(self, username: str) -> None:
        """Lift a lockout early: clear the lock and the failures that caused it."""
        with self._act("user.unlock", target=username) as conn:
            self._require_user(conn, username)
            conn.execute(
                update(users).where(users.c.username == username).values(locked_until=None)
            )
            identity.clear_failures(conn, username)

    @staticmethod
    def _require_user(conn: Connection, username: str) -> None:
        if identity.get_user(conn, username) is None:
            raise NotFound(f"no user '{username}'")

    # --- API keys ---------------------------------------------------------------------------

    def create_key(
        self, name: str, agency: str, roles: Iterable[Role], clearance: Marking = Marking.SBU
    ) -> str:
        """A new key for an agency system; returned once, only its SHA-256 is stored."""
        role_list = sorted(Role(r) for r in roles)
        with self._act("key.create", name=name, agency=agency, roles=role_list) as conn:
            if not role_list:
                raise IdentityError("roles: at least one role")
            if agencies.agency_facts(conn, agency) is None:
                raise IdentityError(f"agency: '{agency}' is not a registered agency")
            key = identity.create_api_key(conn, name, agency, role_list, clearance)
        return key

    def revoke_key(self, prefix: str) -> None:
        with self._act("key.revoke", target=prefix) as conn:
            if identity.revoke_api_key(conn, prefix) == 0:
                raise NotFound(f"no active API key with prefix '{prefix}'")
        self.platform.api_keys.clear()

    def list_keys(self) -> list[KeyEntry]:
        with self._act("key.list") as conn:
            rows = conn.execute(select(api_keys).order_by(api_keys.c.created_at)).all()
        return [
            KeyEntry(
                row.prefix,
                row.name,
                row.agency,
                list(row.roles),
                row.clearance,
                _aware(row.created_at),
                _aware(row.revoked_at) if row.revoked_at else None,
            )
            for row in rows
        ]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
