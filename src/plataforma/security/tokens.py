"""Signed bearer tokens and the key ring that signs them, so the signing key can be rotated.

Every token names its key in the JWT header (``kid``). The ring holds the current key, which
signs, and older keys, which only verify, until the tokens they signed have expired (at most
``token_minutes``); then the operator drops them. A token whose ``kid`` is missing or not in
the ring is refused without trying other keys, so a retired (or leaked and withdrawn) key
stops working the moment it leaves the ring. docs/security.md gives the procedure.

A key's id is a fingerprint of the key itself, so the two can never be configured apart and
nothing new has to be named to rotate. Sixteen hex digits of a domain-separated SHA-256 of a
32+ character random key say nothing useful about the key.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt

from plataforma.settings import Settings

ALGORITHM = "HS256"
KEY_FILE = "secret.key"


class TokenError(Exception):
    """The token cannot be trusted; the message is safe to show."""


def key_id(secret: str) -> str:
    """The ``kid`` of a signing key: a fingerprint, not the key."""
    return hashlib.sha256(b"plataforma-token-key:" + secret.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class KeyRing:
    """The current signing key and the older keys still accepted, by key id."""

    current_kid: str
    keys: Mapping[str, str]

    @property
    def current_key(self) -> str:
        return self.keys[self.current_kid]


def _split(keys: str) -> list[str]:
    return keys.replace(",", " ").split()


def key_ring(settings: Settings) -> KeyRing:
    """The ring from ``PLATAFORMA_SECRET_KEY`` + ``PLATAFORMA_PREVIOUS_SECRET_KEYS``.

    Without a configured key (never in production) the ring is ``DATA_DIR/secret.key``: its
    first word is the current key and any further words are previous keys.
    """
    current = settings.signing_key()
    previous = _split(settings.previous_secret_keys)
    if not settings.secret_key:
        path = settings.data_dir / KEY_FILE
        previous += _split(path.read_text())[1:] if path.exists() else []
    keys = {key_id(key): key for key in previous}
    keys[key_id(current)] = current
    return KeyRing(key_id(current), keys)


def rotate_key_file(settings: Settings) -> str:
    """Outside production: make a new current key in the key file, keeping the old as previous.

    Returns the new key id. Drop the old keys from the file once ``token_minutes`` passed.
    """
    if settings.secret_key:
        raise ValueError("PLATAFORMA_SECRET_KEY is set: rotate it in the environment instead")
    old = settings.signing_key()
    path = settings.data_dir / KEY_FILE
    rest = _split(path.read_text())[1:]
    new = secrets.token_urlsafe(48)
    path.write_text("\n".join([new, old, *rest]) + "\n")
    path.chmod(0o600)
    return key_id(new)


def sign(settings: Settings, claims: Mapping[str, Any]) -> str:
    """``claims`` as a JWT signed with the current key, its id in the header."""
    ring = key_ring(settings)
    return jwt.encode(
        dict(claims), ring.current_key, algorithm=ALGORITHM, headers={"kid": ring.current_kid}
    )


def verify(settings: Settings, token: str) -> dict[str, Any]:
    """The claims of ``token`` if the key its header names signed it and it has not expired."""
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.InvalidTokenError:
        raise TokenError("invalid token") from None
    key = key_ring(settings).keys.get(kid) if isinstance(kid, str) else None
    if key is None:
        raise TokenError("invalid token: unknown signing key")
    try:
        claims: dict[str, Any] = jwt.decode(
            token, key, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "sid"]}
        )
    except jwt.ExpiredSignatureError:
        raise TokenError("token expired") from None
    except jwt.InvalidTokenError:
        raise TokenError("invalid token") from None
    if not isinstance(claims.get("sub"), str) or not isinstance(claims.get("sid"), str):
        raise TokenError("invalid token")
    return claims
