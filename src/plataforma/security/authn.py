"""Authentication: password + TOTP logins, signed short-lived tokens, sessions, API keys.

Tokens are JWTs that expire after ``token_minutes``; each names a server-side session, which
ends after ``idle_minutes`` without a request (CJIS: 30) or at logout. A stolen token therefore
dies with its session.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy import Connection, insert, select, update

from plataforma.model.envelope import Marking
from plataforma.security.agencies import AgencyFacts, agency_facts, cached_agency_facts
from plataforma.security.audit import AuditAction, AuditEvent, Outcome, append
from plataforma.security.identity import (
    ApiKey,
    User,
    clear_failures,
    find_api_key,
    get_user,
    key_digest,
    note_failure,
)
from plataforma.security.passwords import check_password, check_totp
from plataforma.security.principal import AuthMethod, Principal
from plataforma.security.services import PlatformServices as Platform
from plataforma.settings import Mode
from plataforma.store.engine import begin_write
from plataforma.store.tables import sessions

_ALGORITHM = "HS256"
_TOUCH_EVERY = timedelta(seconds=30)


class AuthError(Exception):
    """Authentication failed; the message is safe to show (it never says which part failed)."""


@dataclass(frozen=True)
class Login:
    token: str
    expires_at: datetime
    principal: Principal


def _principal(
    conn: Connection, user: User, method: AuthMethod, session_id: str | None, ip: str | None
) -> Principal:
    facts = agency_facts(conn, user.agency)
    return Principal(
        username=user.username,
        agency=user.agency,
        roles=user.roles,
        clearance=user.clearance,
        agency_level=facts.level if facts else "municipal",
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
    now = datetime.now(UTC)
    refusal = "invalid credentials"
    # Reads then writes: take SQLite's write lock at BEGIN so the upgrade cannot be refused.
    with begin_write(platform.engine) as conn:
        user = get_user(conn, username)
        reason = None
        if user is None or not user.active:
            reason = "unknown or inactive user"
        elif user.locked_until and user.locked_until > now:
            reason = "account locked"
        elif not check_password(user.password_hash, password):
            reason = "bad password"
        elif not _second_factor_ok(platform, user, totp):
            reason = "bad second factor"
        if reason is not None or user is None:
            locked = False
            if user is not None and reason != "account locked":
                locked = note_failure(
                    conn,
                    username,
                    settings.lockout_failures,
                    timedelta(minutes=settings.lockout_window_minutes),
                )
            append(
                conn,
                [
                    AuditEvent(
                        username,
                        user.agency if user else "-",
                        AuditAction.LOGIN,
                        Outcome.DENIED,
                        source_ip=source_ip,
                        detail={"reason": reason, "locked": locked},
                    )
                ],
            )
            # Raised after the commit: the failure must count towards the lockout, and be audited.
            refusal = (
                "account locked: try later"
                if reason == "account locked" or locked
                else "invalid credentials"
            )
            principal = None
        else:
            principal = _open_session(conn, user, source_ip, now)
    if principal is None:
        raise AuthError(refusal)
    expires = now + timedelta(minutes=settings.token_minutes)
    token = jwt.encode(
        {"sub": username, "sid": principal.session_id, "exp": expires, "iat": now},
        settings.signing_key(),
        algorithm=_ALGORITHM,
    )
    return Login(token, expires, principal)


def _open_session(conn: Connection, user: User, source_ip: str | None, now: datetime) -> Principal:
    """A successful login: forget past failures, open a server-side session, audit it."""
    clear_failures(conn, user.username)
    session_id = secrets.token_urlsafe(24)
    conn.execute(
        insert(sessions).values(
            id=session_id, username=user.username, created_at=now, last_seen=now, ended_at=None
        )
    )
    append(
        conn,
        [
            AuditEvent(
                user.username,
                user.agency,
                AuditAction.LOGIN,
                source_ip=source_ip,
                detail={"session": session_id[:8]},
            )
        ],
    )
    return _principal(conn, user, AuthMethod.PASSWORD_TOTP, session_id, source_ip)


def _second_factor_ok(platform: Platform, user: User, code: str) -> bool:
    # Demo mode accepts the documented code so visitors can try the system without an app.
    if platform.settings.mode is Mode.DEMO and code == "000000":
        return True
    return check_totp(user.totp_secret, code)


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
        agency_level=facts.level if facts else "municipal",
        agency_state=facts.state if facts else None,
        method=AuthMethod.API_KEY,
        source_ip=source_ip,
    )


def _from_token(platform: Platform, token: str, source_ip: str | None) -> Principal:
    settings = platform.settings
    try:
        claims = jwt.decode(token, settings.signing_key(), algorithms=[_ALGORITHM])
    except jwt.ExpiredSignatureError:
        raise AuthError("token expired") from None
    except jwt.InvalidTokenError:
        raise AuthError("invalid token") from None
    now = datetime.now(UTC)
    with platform.engine.connect() as conn:
        row = conn.execute(select(sessions).where(sessions.c.id == claims.get("sid"))).first()
        if row is None or row.ended_at is not None:
            raise AuthError("session ended")
        last_seen = row.last_seen if row.last_seen.tzinfo else row.last_seen.replace(tzinfo=UTC)
        if now - last_seen > timedelta(minutes=settings.idle_minutes):
            raise AuthError("session ended after inactivity")
        user = get_user(conn, claims["sub"])
        if user is None or not user.active:
            raise AuthError("user disabled")
        principal = _principal(conn, user, AuthMethod.PASSWORD_TOTP, row.id, source_ip)
    if now - last_seen > _TOUCH_EVERY:
        with platform.engine.begin() as conn:
            conn.execute(update(sessions).where(sessions.c.id == row.id).values(last_seen=now))
    return principal


def logout(platform: Platform, principal: Principal) -> None:
    with platform.engine.begin() as conn:
        conn.execute(
            update(sessions)
            .where(sessions.c.id == principal.session_id)
            .values(ended_at=datetime.now(UTC))
        )
        append(
            conn,
            [
                AuditEvent(
                    principal.username,
                    principal.agency,
                    AuditAction.LOGOUT,
                    source_ip=principal.source_ip,
                )
            ],
        )


def clearance_of(value: str) -> Marking:
    return Marking(value.upper())
