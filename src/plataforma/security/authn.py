"""Authentication: password + TOTP logins, signed short-lived tokens, sessions, API keys.

Tokens are JWTs that expire after ``token_minutes``; each names a server-side session, which
ends after ``idle_minutes`` without a request (CJIS: 30) or at logout. A stolen token therefore
dies with its session, and a session serves only the user who opened it: a token naming one
user and another's session is refused and audited (it can only be made with the signing key).

Every failing login costs one password verification, whatever failed, so its time does not
tell whether the username exists; and each TOTP code is accepted once (RFC 6238 §5.2).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn

from sqlalchemy import Connection, insert, select, update

from plataforma.model.envelope import Marking
from plataforma.security.agencies import AgencyFacts, agency_facts, cached_agency_facts, level_of
from plataforma.security.audit import AuditAction, AuditEvent, Outcome, append
from plataforma.security.identity import (
    ApiKey,
    User,
    claim_totp_step,
    clear_failures,
    find_api_key,
    get_user,
    key_digest,
    note_failure,
)
from plataforma.security.passwords import check_password_or_dummy, totp_step
from plataforma.security.principal import AuthMethod, Principal
from plataforma.security.services import PlatformServices as Platform
from plataforma.security.tokens import TokenError, sign, verify
from plataforma.settings import Mode
from plataforma.store.engine import begin_write
from plataforma.store.tables import sessions

log = logging.getLogger(__name__)

_TOUCH_EVERY = timedelta(seconds=30)
DEMO_TOTP_CODE = "000000"


class AuthError(Exception):
    """Authentication failed; the message is safe to show (it never says which part failed)."""


@dataclass(frozen=True)
class Login:
    token: str
    expires_at: datetime
    principal: Principal


def principal_of_user(
    conn: Connection, user: User, method: AuthMethod, session_id: str | None, ip: str | None
) -> Principal:
    facts = agency_facts(conn, user.agency)
    return Principal(
        username=user.username,
        agency=user.agency,
        roles=user.roles,
        clearance=user.clearance,
        agency_level=level_of(facts),
        agency_state=facts.state if facts else None,
        restricted_access=user.restricted_access,
        method=method,
        session_id=session_id,
        source_ip=ip,
    )


def login(
    platform: Platform, username: str, password: str, totp: str, source_ip: str | None
) -> Login:
    """Check password and second factor, open a session, and return a signed token."""
    settings = platform.settings
    # The slow hash runs outside the write transaction (SQLite has one writer at a time) and
    # runs for every attempt: unknown, inactive and locked accounts verify a dummy or their
    # own hash too, so all failures take as long as a wrong password.
    with platform.engine.connect() as conn:
        seen = get_user(conn, username)
    verified_hash = seen.password_hash if seen is not None else None
    password_ok = check_password_or_dummy(verified_hash, password)
    now = datetime.now(UTC)
    with begin_write(platform.engine) as conn:
        user = get_user(conn, username)
        reason = None
        if user is None or not user.active:
            reason = "unknown or inactive user"
        elif user.locked_until and user.locked_until > now:
            reason = "account locked"
        elif not password_ok or user.password_hash != verified_hash:
            reason = "bad password"
        else:
            reason = _second_factor_refusal(conn, platform.settings.mode, user, totp)
        if reason is not None or user is None:
            refusal = _refuse(conn, platform, username, user, reason, source_ip)
            principal = None
        else:
            principal = _open_session(conn, user, source_ip, now)
    # Raised after the commit: the failure must count towards the lockout, and be audited.
    if principal is None:
        raise AuthError(refusal)
    expires = now + timedelta(minutes=settings.token_minutes)
    token = sign(
        settings, {"sub": username, "sid": principal.session_id, "exp": expires, "iat": now}
    )
    return Login(token, expires, principal)


def _login_refused(
    username: str, user: User | None, source_ip: str | None, **detail: Any
) -> AuditEvent:
    """The event of a refused sign-in: there is no principal yet, only the name it claimed.

    The one audit event built without :meth:`AuditEvent.of`, because nobody was authenticated.
    """
    return AuditEvent(
        username,
        user.agency if user else "-",
        AuditAction.LOGIN,
        Outcome.DENIED,
        source_ip=source_ip,
        detail=detail,
    )


def _refuse(
    conn: Connection,
    platform: Platform,
    username: str,
    user: User | None,
    reason: str | None,
    source_ip: str | None,
) -> str:
    """Count and audit a failed login; the message for the caller (never which factor)."""
    settings = platform.settings
    locked = False
    if user is not None and reason != "account locked":
        locked = note_failure(
            conn,
            username,
            settings.lockout_failures,
            timedelta(minutes=settings.lockout_window_minutes),
        )
    append(conn, [_login_refused(username, user, source_ip, reason=reason, locked=locked)])
    if reason == "account locked" or locked:
        return "account locked: try later"
    return "invalid credentials"


def _open_session(conn: Connection, user: User, source_ip: str | None, now: datetime) -> Principal:
    """A successful login: forget past failures, open a server-side session, audit it."""
    clear_failures(conn, user.username)
    session_id = secrets.token_urlsafe(24)
    conn.execute(
        insert(sessions).values(
            id=session_id, username=user.username, created_at=now, last_seen=now, ended_at=None
        )
    )
    principal = principal_of_user(conn, user, AuthMethod.PASSWORD_TOTP, session_id, source_ip)
    append(conn, [AuditEvent.of(principal, AuditAction.LOGIN, detail={"session": session_id[:8]})])
    return principal


def _second_factor_refusal(conn: Connection, mode: Mode, user: User, code: str) -> str | None:
    """None when the second factor holds, else the reason (for the audit log only).

    Demo mode lets the accounts ``plataforma demo`` made in with the documented code 000000,
    so visitors can try the system without an app; every other account, and every account
    outside demo mode, needs its real, unused TOTP code.
    """
    if mode is Mode.DEMO and user.demo_account and code == DEMO_TOTP_CODE:
        return None
    step = totp_step(user.totp_secret, code)
    if step is None:
        return "bad second factor"
    if not claim_totp_step(conn, user.username, step):
        return "second factor code already used"
    return None


def authenticate(
    platform: Platform,
    authorization: str | None,
    api_key: str | None,
    cookie: str | None,
    source_ip: str | None,
) -> Principal:
    if api_key:
        return _from_api_key(platform, api_key, source_ip)
    token = None
    if authorization and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
    token = token or cookie
    if not token:
        raise AuthError("authentication required: bearer token or X-API-Key")
    return _from_token(platform, token, source_ip)


def cached_principal(
    platform: Platform, api_key: str | None, source_ip: str | None
) -> Principal | None:
    """The caller of a recently verified API key, without I/O; None when a lookup is needed."""
    if not api_key:
        return None
    found = platform.api_keys.get(key_digest(api_key))
    if found is None:
        return None
    cached, facts = cached_agency_facts(found.agency)
    return _key_principal(found, facts, source_ip) if cached else None


def _from_api_key(platform: Platform, key: str, source_ip: str | None) -> Principal:
    digest = key_digest(key)
    with platform.engine.connect() as conn:
        platform.api_keys.refresh(conn)
        found = platform.api_keys.get(digest) or find_api_key(conn, key)
        if found is None:
            raise AuthError("invalid API key")
        platform.api_keys.put(digest, found)
        facts = agency_facts(conn, found.agency)
    return _key_principal(found, facts, source_ip)


def _key_principal(found: ApiKey, facts: AgencyFacts | None, source_ip: str | None) -> Principal:
    return Principal(
        username=f"key:{found.prefix}",
        agency=found.agency,
        roles=found.roles,
        clearance=found.clearance,
        agency_level=level_of(facts),
        agency_state=facts.state if facts else None,
        method=AuthMethod.API_KEY,
        source_ip=source_ip,
    )


def _from_token(platform: Platform, token: str, source_ip: str | None) -> Principal:
    settings = platform.settings
    try:
        claims = verify(settings, token)
    except TokenError as error:
        raise AuthError(str(error)) from None
    subject, session_id = claims["sub"], claims["sid"]
    now = datetime.now(UTC)
    with platform.engine.connect() as conn:
        row = conn.execute(select(sessions).where(sessions.c.id == session_id)).first()
        if row is None or row.ended_at is not None:
            raise AuthError("session ended")
        owned = row.username == subject
        last_seen = row.last_seen if row.last_seen.tzinfo else row.last_seen.replace(tzinfo=UTC)
        if owned and now - last_seen > timedelta(minutes=settings.idle_minutes):
            raise AuthError("session ended after inactivity")
        user = get_user(conn, subject) if owned else None
        if owned and (user is None or not user.active):
            raise AuthError("user disabled")
        principal = (
            principal_of_user(conn, user, AuthMethod.PASSWORD_TOTP, row.id, source_ip)
            if user
            else None
        )
    if principal is None:
        _refuse_foreign_session(platform, subject, row.username, session_id, source_ip)
    if now - last_seen > _TOUCH_EVERY:
        with platform.engine.begin() as conn:
            conn.execute(update(sessions).where(sessions.c.id == row.id).values(last_seen=now))
    return principal


def _refuse_foreign_session(
    platform: Platform, subject: str, owner: str, session_id: str, source_ip: str | None
) -> NoReturn:
    """A validly signed token naming someone else's session: refuse, end it, and audit.

    Only a holder of the signing key can make such a token, so it means the key leaked; the
    session is ended because its id is known to whoever made the token.
    """
    log.warning("token for %s carried a session of %s: refused", subject, owner)
    with platform.engine.begin() as conn:
        user = get_user(conn, subject)
        conn.execute(
            update(sessions).where(sessions.c.id == session_id).values(ended_at=datetime.now(UTC))
        )
        refusal = _login_refused(
            subject,
            user,
            source_ip,
            reason="token subject does not own its session",
            session=session_id[:8],
            session_owner=owner,
        )
        append(conn, [refusal])
    raise AuthError("invalid token")


def logout(platform: Platform, principal: Principal) -> None:
    with platform.engine.begin() as conn:
        conn.execute(
            update(sessions)
            .where(sessions.c.id == principal.session_id)
            .values(ended_at=datetime.now(UTC))
        )
        append(conn, [AuditEvent.of(principal, AuditAction.LOGOUT)])


def clearance_of(value: str) -> Marking:
    return Marking(value.upper())
