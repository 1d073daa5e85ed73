"""Tokens: a session serves only its own user, and the signing key rotates through a key ring."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select

from conftest import token_for
from plataforma.context import Platform
from plataforma.security.tokens import key_id, key_ring, rotate_key_file, sign
from plataforma.settings import Mode, Settings
from plataforma.store.tables import audit_log, sessions

ME = "/api/v1/auth/me"


def _claims(client: TestClient, username: str) -> dict[str, Any]:
    token = token_for(client, username)["Authorization"][7:]
    return jwt.decode(token, options={"verify_signature": False})


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _configure(platform: Platform, monkeypatch: pytest.MonkeyPatch, **settings: str) -> None:
    """The operator changes the environment and restarts the server."""
    monkeypatch.setattr(platform, "settings", platform.settings.model_copy(update=settings))


def test_a_token_naming_another_users_session_is_refused_and_audited(
    client: TestClient, world: Platform
) -> None:
    officer = _claims(client, "officer")
    # Made with the signing key (a key leak): sub admin, but the officer's session.
    forged = sign(world.settings, {**officer, "sub": "admin"})
    reply = client.get(ME, headers=_bearer(forged))
    assert reply.status_code == 401 and reply.json()["detail"] == "invalid token"
    with world.engine.connect() as conn:
        event = conn.execute(
            select(audit_log.c.actor, audit_log.c.outcome, audit_log.c.detail)
            .where(audit_log.c.action == "login")
            .order_by(audit_log.c.id.desc())
            .limit(1)
        ).one()
        ended = conn.execute(
            select(sessions.c.ended_at).where(sessions.c.id == officer["sid"])
        ).scalar_one()
    assert (event.actor, event.outcome) == ("admin", "denied")
    assert event.detail["session_owner"] == "officer"
    assert ended is not None  # its id is known to whoever made the token: the session ends


def test_the_genuine_token_still_works_beside_a_refused_forgery(
    client: TestClient, world: Platform
) -> None:
    officer = _claims(client, "officer")
    admin = _claims(client, "admin")
    forged = sign(world.settings, {**admin, "sub": "officer"})
    assert client.get(ME, headers=_bearer(forged)).status_code == 401
    genuine = client.get(ME, headers=_bearer(sign(world.settings, officer)))
    assert genuine.status_code == 200 and genuine.json()["username"] == "officer"


@pytest.mark.parametrize("header", [{}, {"kid": "0123456789abcdef"}, {"kid": ""}])
def test_a_token_without_a_known_key_id_is_refused(
    client: TestClient, world: Platform, header: dict[str, Any]
) -> None:
    claims = _claims(client, "officer")
    token = jwt.encode(claims, world.settings.signing_key(), algorithm="HS256", headers=header)
    assert client.get(ME, headers=_bearer(token)).status_code == 401


def test_rotation_in_the_environment_keeps_old_tokens_until_the_old_key_is_dropped(
    client: TestClient, world: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_key, new_key = secrets.token_urlsafe(48), secrets.token_urlsafe(48)
    _configure(world, monkeypatch, secret_key=old_key)
    old_token = token_for(client, "officer")
    assert jwt.get_unverified_header(old_token["Authorization"][7:])["kid"] == key_id(old_key)

    rotated = {"secret_key": new_key, "previous_secret_keys": f"{old_key}"}
    _configure(world, monkeypatch, **rotated)
    new_token = token_for(client, "officer")
    assert jwt.get_unverified_header(new_token["Authorization"][7:])["kid"] == key_id(new_key)
    assert client.get(ME, headers=old_token).status_code == 200
    assert client.get(ME, headers=new_token).status_code == 200

    dropped = {"secret_key": new_key, "previous_secret_keys": ""}
    _configure(world, monkeypatch, **dropped)
    assert client.get(ME, headers=old_token).status_code == 401
    assert client.get(ME, headers=new_token).status_code == 200


def test_rotation_of_the_key_file_outside_production(client: TestClient, world: Platform) -> None:
    old_token = token_for(client, "officer")
    old_kid = key_ring(world.settings).current_kid
    new_kid = rotate_key_file(world.settings)
    assert new_kid != old_kid and set(key_ring(world.settings).keys) == {old_kid, new_kid}
    new_token = token_for(client, "officer")
    assert jwt.get_unverified_header(new_token["Authorization"][7:])["kid"] == new_kid
    assert client.get(ME, headers=old_token).status_code == 200
    path = world.settings.data_dir / "secret.key"
    path.write_text(path.read_text().split()[0] + "\n")  # the operator drops the old key
    assert client.get(ME, headers=old_token).status_code == 401
    assert client.get(ME, headers=new_token).status_code == 200


def test_an_old_key_does_not_keep_an_expired_token_alive(
    client: TestClient, world: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_key = secrets.token_urlsafe(48)
    _configure(world, monkeypatch, secret_key=old_key)
    claims = {**_claims(client, "officer"), "exp": datetime.now(UTC) - timedelta(seconds=1)}
    expired = sign(world.settings, claims)
    rotated = {"secret_key": secrets.token_urlsafe(48), "previous_secret_keys": old_key}
    _configure(world, monkeypatch, **rotated)
    reply = client.get(ME, headers=_bearer(expired))
    assert reply.status_code == 401 and "expired" in reply.json()["detail"]


@pytest.mark.parametrize("previous", ["short", "change-me-" + "x" * 40, f"{'k' * 40},weak"])
def test_production_refuses_weak_previous_keys(previous: str) -> None:
    with pytest.raises(ValidationError, match="PREVIOUS_SECRET_KEYS"):
        Settings(
            mode=Mode.PRODUCTION,
            secret_key=secrets.token_urlsafe(48),
            previous_secret_keys=previous,
            database_url="sqlite://",
        )


def test_production_accepts_strong_previous_keys() -> None:
    keys = f"{secrets.token_urlsafe(48)}, {secrets.token_urlsafe(48)}"
    settings = Settings(
        mode=Mode.PRODUCTION,
        secret_key=secrets.token_urlsafe(48),
        previous_secret_keys=keys,
        database_url="sqlite://",
    )
    assert len(key_ring(settings).keys) == 3
