"""What production refuses when an administrator creates an account.

Following NIST SP 800-63B, strength comes from length and from refusing the passwords
attackers try first, not from composition rules (which push people to ``Password1!``).
Demo accounts (``demo-*``) exist so visitors can try a demo install; on a production
deployment the same names would be well-known doors, so they are refused outright.
"""

from __future__ import annotations

from plataforma.model.values import normalize_text

PRODUCTION_MIN_LENGTH = 14
DEMO_PREFIX = "demo-"

# Substrings that make a password guessable whatever else it contains.
_GUESSABLE = (
    "password",
    "contrasena",
    "plataforma",
    "mexico",
    "qwerty",
    "123456",
    "abc123",
    "letmein",
    "changeme",
    "admin",
    "demo",
)


def is_demo_name(username: str) -> bool:
    return username.strip().lower().startswith(DEMO_PREFIX)


def password_weakness(password: str, username: str) -> str | None:
    """Why ``password`` is too weak for a production account, or None when it is acceptable."""
    if len(password) < PRODUCTION_MIN_LENGTH:
        return f"at least {PRODUCTION_MIN_LENGTH} characters in production"
    folded = normalize_text(password).lower().replace(" ", "")
    if username and normalize_text(username).lower().replace(" ", "") in folded:
        return "must not contain the username"
    for word in _GUESSABLE:
        if word in folded:
            return f"must not contain the common word '{word}'"
    if len(set(password)) < 6:
        return "too few distinct characters"
    return None
