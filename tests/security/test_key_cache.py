"""Cached API keys: answered without the database, yet never outliving a revocation."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from plataforma.context import Platform
from plataforma.security.authn import cached_principal
from plataforma.security.identity import create_api_key, revoke_api_key
from plataforma.security.principal import Role

PERSON = {"source_ref": "KC-1", "given_names": "Ana", "first_surname": "Ruiz"}


def _key(platform: Platform) -> str:
    with platform.engine.begin() as conn:
        return create_api_key(conn, "cache", "POL-GDL", [Role.RECORDS_CLERK])


def test_verified_key_is_answered_from_the_cache(client: TestClient, world: Platform) -> None:
    key = _key(world)
    assert cached_principal(world, key, None) is None  # never seen: needs the database
    reply = client.post("/api/v1/records/person", json=PERSON, headers={"X-API-Key": key})
    assert reply.status_code == 201, reply.text
    principal = cached_principal(world, key, "10.0.0.1")
    assert principal is not None and principal.agency == "POL-GDL"
    assert principal.source_ip == "10.0.0.1"
    assert cached_principal(world, key + "x", None) is None


def test_revocation_elsewhere_ends_the_key_within_the_check_interval(
    client: TestClient, world: Platform
) -> None:
    """A revocation by another process (here: straight in the database) is seen in time."""
    world.api_keys.check_every = 0.2
    key = _key(world)
    headers = {"X-API-Key": key}
    assert client.post("/api/v1/records/person", json=PERSON, headers=headers).status_code == 201
    with world.engine.begin() as conn:
        assert revoke_api_key(conn, key[:10]) == 1
    time.sleep(0.25)
    refused = client.post("/api/v1/records/person", json=PERSON, headers=headers)
    assert refused.status_code == 401


def test_revocation_in_this_process_is_immediate(client: TestClient, world: Platform) -> None:
    key = _key(world)
    headers = {"X-API-Key": key}
    assert client.post("/api/v1/records/person", json=PERSON, headers=headers).status_code == 201
    admin = {"X-API-Key": _admin_key(world)}
    assert client.delete(f"/api/v1/admin/keys/{key[:10]}", headers=admin).status_code == 204
    assert client.post("/api/v1/records/person", json=PERSON, headers=headers).status_code == 401


def test_cache_can_be_turned_off(world: Platform) -> None:
    world.api_keys.max_age = 0
    key = _key(world)
    with world.engine.connect() as conn:
        world.api_keys.refresh(conn)
    world.api_keys.put("digest", object())  # type: ignore[arg-type]
    assert world.api_keys.get("digest") is None
    assert cached_principal(world, key, None) is None


def _admin_key(platform: Platform) -> str:
    with platform.engine.begin() as conn:
        return create_api_key(conn, "admin", "SSPC", [Role.ADMINISTRATOR])
