"""People and systems that may act: users (password + TOTP) and agency API keys.

Lockout follows the CJIS Security Policy's numbers: 5 failures within 15 minutes lock the
account for the rest of that window. API keys are 256-bit random strings stored as SHA-256,
which is safe for high-entropy secrets and cheap enough to check on every request.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from plataforma.model.envelope import Marking, RestrictedFile
from plataforma.security.passwords import hash_password, new_totp_secret
from plataforma.security.principal import Role
from plataforma.store.tables import api_keys, login_failures, users


class IdentityError(ValueError):
    """A user or key could not be created or changed; the message says why."""


@dataclass(frozen=True)
class User:
    username: str
    full_name: str
    agency: str
    roles: frozenset[Role]
    clearance: Marking
    restricted_access: frozenset[RestrictedFile]
    password_hash: str
    totp_secret: str
    active: bool
    locked_until: datetime | None
    # Made by `plataforma demo`: the only accounts demo mode's fixed code 000000 lets in.
    demo_account: bool = False


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value and value.tzinfo is None else value


def _user(row: Any) -> User:
    return User(
        row.username,
        row.full_name,
        row.agency,
        frozenset(Role(r) for r in row.roles),
        Marking(row.clearance),
        frozenset(RestrictedFile(r) for r in row.restricted_access),
        row.password_hash,
        row.totp_secret,
        row.active,
        _aware(row.locked_until),
        bool(row.demo_account),
    )


def create_user(
    conn: Connection,
    username: str,
    full_name: str,
    agency: str,
    roles: Iterable[Role],
    password: str,
    clearance: Marking = Marking.SBU,
    restricted_access: Iterable[RestrictedFile] = (),
    totp_secret: str | None = None,
    demo_account: bool = False,
) -> User:
    if len(password) < 12:
        raise IdentityError("password: at least 12 characters")
    if conn.execute(select(users.c.username).where(users.c.username == username)).first():
        raise IdentityError(f"username: '{username}' already exists")
    row = {
        "username": username,
        "full_name": full_name,
        "agency": agency,
        "roles": sorted(str(Role(r)) for r in roles),
        "clearance": str(clearance),
        "restricted_access": sorted(str(r) for r in restricted_access),
        "password_hash": hash_password(password),
        "totp_secret": totp_secret or new_totp_secret(),
        "active": True,
        "locked_until": None,
        "created_at": datetime.now(UTC),
        "demo_account": demo_account,
    }
    if not row["roles"]:
        raise IdentityError("roles: at least one role")
    conn.execute(insert(users).values(row))
    return get_user(conn, username)  # type: ignore[return-value]


def get_user(conn: Connection, username: str) -> User | None:
    row = conn.execute(select(users).where(users.c.username == username)).first()
    return _user(row) if row else None


def list_users(conn: Connection, agency: str | None = None) -> list[User]:
    query = select(users).order_by(users.c.username)
    if agency:
        query = query.where(users.c.agency == agency)
    return [_user(row) for row in conn.execute(query)]


def set_active(conn: Connection, username: str, active: bool) -> None:
    conn.execute(
        update(users).where(users.c.username == username).values(active=active, locked_until=None)
    )


def claim_totp_step(conn: Connection, username: str, step: int) -> bool:
    """Record ``step`` as the last accepted TOTP step; False if it (or a later one) was used.

    One conditional UPDATE, so two logins racing with the same code cannot both pass: the
    database serialises the row and only the first sees an older step (RFC 6238 §5.2).
    """
    result = conn.execute(
        update(users)
        .where(
            users.c.username == username,
            or_(users.c.totp_last_step.is_(None), users.c.totp_last_step < step),
        )
        .values(totp_last_step=step)
    )
    return result.rowcount == 1


def mark_demo_account(conn: Connection, username: str) -> None:
    """Flag an account as the demo's (accounts made before the flag existed)."""
    conn.execute(update(users).where(users.c.username == username).values(demo_account=True))


def note_failure(conn: Connection, username: str, limit: int, window: timedelta) -> bool:
    """Record a failed login; lock the account when ``limit`` fall in ``window``. True if locked."""
    now = datetime.now(UTC)
    conn.execute(insert(login_failures).values(username=username, at=now))
    recent = conn.execute(
        select(func.count())
        .select_from(login_failures)
        .where(login_failures.c.username == username, login_failures.c.at >= now - window)
    ).scalar_one()
    if recent >= limit:
        conn.execute(
            update(users).where(users.c.username == username).values(locked_until=now + window)
        )
        return True
    return False


def clear_failures(conn: Connection, username: str) -> None:
    conn.execute(delete(login_failures).where(login_failures.c.username == username))


@dataclass(frozen=True)
class ApiKey:
    prefix: str
    name: str
    agency: str
    roles: frozenset[Role]
    clearance: Marking


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_api_key(
    conn: Connection,
    name: str,
    agency: str,
    roles: Iterable[Role],
    clearance: Marking = Marking.SBU,
) -> str:
    """A new key, shown once: only its SHA-256 is kept."""
    key = "pk_" + secrets.token_urlsafe(32)
    conn.execute(
        insert(api_keys).values(
            key_hash=key_digest(key),
            prefix=key[:10],
            name=name,
            agency=agency,
            roles=sorted(str(Role(r)) for r in roles),
            clearance=str(clearance),
            created_at=datetime.now(UTC),
            revoked_at=None,
        )
    )
    return key


def find_api_key(conn: Connection, key: str) -> ApiKey | None:
    row = conn.execute(
        select(api_keys).where(
            api_keys.c.key_hash == key_digest(key), api_keys.c.revoked_at.is_(None)
        )
    ).first()
    if row is None:
        return None
    return ApiKey(
        row.prefix,
        row.name,
        row.agency,
        frozenset(Role(r) for r in row.roles),
        Marking(row.clearance),
    )


def revoke_api_key(conn: Connection, prefix: str) -> int:
    result = conn.execute(
        update(api_keys)
        .where(api_keys.c.prefix == prefix, api_keys.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
    return result.rowcount
