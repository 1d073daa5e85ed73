"""Password hashing (argon2id) and TOTP second factors.

Two properties matter beyond correctness. Every failing login costs one argon2 verification,
even for a username that does not exist (:func:`check_password_or_dummy`), so the response
time does not tell which usernames exist. And a TOTP code is usable once: the verifier returns
the time step it matched so the caller can refuse a step at or before the last one accepted
(RFC 6238 §5.2).
"""

from __future__ import annotations

import hmac
import secrets
import time
from functools import cache

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# One step either side of now: RFC 6238 §5.2 recommends at most one for clock drift.
TOTP_DRIFT_STEPS = 1


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    """A hash of a random secret with the live parameters: no password ever matches it."""
    return _hasher.hash(secrets.token_urlsafe(32))


def check_password_or_dummy(stored_hash: str | None, password: str) -> bool:
    """Verify against ``stored_hash``, or burn the same time on a dummy hash when there is none.

    Without this, an unknown username answers in ~2 ms and a known one in ~100 ms, so anyone
    can enumerate the accounts of the system before guessing their passwords.
    """
    if stored_hash is None:
        check_password(_dummy_hash(), password)
        return False
    return check_password(stored_hash, password)


def new_totp_secret() -> str:
    return str(pyotp.random_base32())


def totp_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step whose code ``code`` is (within the drift window), or None.

    The caller must still refuse a step at or before the last accepted one: a code is valid
    for 30 s (90 s with the drift window) and anyone who saw it could otherwise reuse it.
    """
    totp = pyotp.TOTP(secret)
    current = totp.timecode(time.time() if now is None else now)
    given = code.strip().encode()
    matched = None
    for step in range(current - TOTP_DRIFT_STEPS, current + TOTP_DRIFT_STEPS + 1):
        # Compare all candidates in constant time; the last match wins (there is at most one).
        if hmac.compare_digest(given, totp.generate_otp(step).encode()):
            matched = step
    return matched


def check_totp(secret: str, code: str) -> bool:
    """Whether ``code`` is valid now (drift window included); says nothing about reuse."""
    return totp_step(secret, code) is not None


def current_totp(secret: str) -> str:
    return str(pyotp.TOTP(secret).now())


def totp_at(secret: str, step: int) -> str:
    """The code of time step ``step`` (tests and enrolment checks)."""
    return str(pyotp.TOTP(secret).generate_otp(step))


def provisioning_uri(secret: str, username: str) -> str:
    return str(pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name="plataforma"))
