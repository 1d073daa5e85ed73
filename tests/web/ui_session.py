"""Helpers for the UI tests: sign a TestClient in through the login form, as a browser does."""

from __future__ import annotations

from typing import Any

from conftest import PASSWORD, TOTP_SECRET, forget_totp_use
from plataforma.security.passwords import current_totp


def csrf(client: Any) -> str:
    """The CSRF token the pages repeat (minted by the first UI request)."""
    if not client.cookies.get("plataforma_csrf"):
        client.get("/ui/login")
    token: str = client.cookies["plataforma_csrf"]
    return token


def sign_in(client: Any, username: str, password: str = PASSWORD) -> Any:
    client.cookies.clear()
    forget_totp_use(client.app.state.platform, username)
    form = {
        "username": username,
        "password": password,
        "totp": current_totp(TOTP_SECRET),
        "csrf_token": csrf(client),
    }
    return client.post("/ui/login", data=form, follow_redirects=False)


def signed_in(client: Any, username: str) -> Any:
    reply = sign_in(client, username)
    assert reply.status_code == 303, reply.text
    return client
