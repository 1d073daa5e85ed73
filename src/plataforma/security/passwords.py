"""Password hashing (argon2id) and TOTP second factors."""

from __future__ import annotations

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_totp_secret() -> str:
    return str(pyotp.random_base32())


def check_totp(secret: str, code: str) -> bool:
    """Accept the current code and one step either side, for clock drift."""
    return bool(pyotp.TOTP(secret).verify(code.strip(), valid_window=1))


def current_totp(secret: str) -> str:
    return str(pyotp.TOTP(secret).now())


def provisioning_uri(secret: str, username: str) -> str:
    return str(pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name="plataforma"))
