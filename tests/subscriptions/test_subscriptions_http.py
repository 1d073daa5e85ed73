"""``/api/v1/subscriptions``: create for each kind, page with a cursor, delete; bad input is a
422 naming the field; someone else's subscription does not exist for you; all audited."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from subs_support import USERS, audit_actions, two_agencies

from conftest import token_for
from plataforma.context import Platform
from plataforma.records.service import RecordService
from plataforma.security.principal import LOCAL_ADMIN


@pytest.fixture
def api(platform: Platform) -> Any:
    from plataforma.web.app import create_app

    two_agencies(platform)
    with TestClient(create_app(platform)) as test_client:
        yield test_client


class _Tokens(dict[str, dict[str, str]]):
    """Headers per user, logged in on first use (each login costs an argon2 hash)."""

    def __init__(self, api: TestClient) -> None:
        super().__init__()
        self.api = api

    def __missing__(self, user: str) -> dict[str, str]:
        assert user in USERS
        self[user] = token_for(self.api, user)
        return self[user]


@pytest.fixture
def headers(api: TestClient) -> dict[str, dict[str, str]]:
    return _Tokens(api)


BODIES: list[dict[str, Any]] = [
    {"kind": "person", "curp": "sair840719hjclbm02"},
    {"kind": "person", "name": "Ramón Salas Ibarra", "date_of_birth": "1984-07-19"},
    {"kind": "vehicle", "plate": "jal-123-a"},
    {"kind": "vehicle", "vin": "1HGCM82633A004352"},
    {"kind": "firearm", "serial": "AB 12345"},
    {"kind": "search", "search_kind": "plate", "q": "JAL 123 A"},
    {"kind": "area", "state": "Jalisco", "municipality": "Zapopan", "crime_type": "extorsion"},
]


def test_create_list_and_delete(api: TestClient, headers: dict[str, dict[str, str]]) -> None:
    me = headers["gdl_sbu"]
    ids = []
    for body in BODIES:
        reply = api.post("/api/v1/subscriptions", json={**body, "purpose": "patrol"}, headers=me)
        assert reply.status_code == 201, reply.text
        ids.append(reply.json()["id"])
    area = api.get("/api/v1/subscriptions", params={"limit": 50}, headers=me).json()["items"][-1]
    assert area["target"] == {"state": "14", "municipality": "14120", "crime_type": "extorsion"}
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = api.get("/api/v1/subscriptions", params=params, headers=me).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids  # every one once, in order, and the last page says so
    # Another user sees none of them and cannot delete them (answered as not existing).
    other = headers["zap_secret"]
    assert api.get("/api/v1/subscriptions", headers=other).json()["items"] == []
    assert api.delete(f"/api/v1/subscriptions/{ids[0]}", headers=other).status_code == 404
    assert api.delete(f"/api/v1/subscriptions/{ids[0]}", headers=me).status_code == 204
    assert api.delete(f"/api/v1/subscriptions/{ids[0]}", headers=me).status_code == 404
    platform = api.app.state.platform  # type: ignore[attr-defined]
    events = audit_actions(platform, "subscription")
    assert sum(1 for e in events if e.outcome == "ok") == len(BODIES) + 1
    assert all(e.purpose == "patrol" for e in events)


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"kind": "person", "curp": "SAIR840719HJCLBM07"}, "/curp"),  # check digit
        ({"kind": "person", "name": "Ramón Salas"}, "/date_of_birth"),
        ({"kind": "person", "name": "Ramón", "date_of_birth": "1984-07-19"}, "/name"),
        ({"kind": "person", "name": "Ramón Salas", "date_of_birth": "1984"}, "/date_of_birth"),
        ({"kind": "vehicle"}, "/plate"),
        ({"kind": "vehicle", "plate": "00000"}, "/plate"),
        ({"kind": "vehicle", "vin": "123"}, "/vin"),
        ({"kind": "firearm", "serial": "??"}, "/serial"),
        ({"kind": "search", "search_kind": "curp", "q": "nope"}, "/q"),
        ({"kind": "area", "state": "Atlantis"}, "/state"),
        ({"kind": "area", "state": "14", "municipality": "Atlantis"}, "/municipality"),
        ({"kind": "area", "state": "14", "crime_type": "piracy"}, "/crime_type"),
        ({"kind": "weather"}, "/kind"),
        ({"kind": "vehicle", "plate": "JAL123A", "colour": "red"}, "/vehicle/colour"),
    ],
)
def test_bad_input_names_the_field(
    api: TestClient, headers: dict[str, dict[str, str]], body: dict[str, Any], pointer: str
) -> None:
    reply = api.post(
        "/api/v1/subscriptions", json={**body, "purpose": "patrol"}, headers=headers["gdl_sbu"]
    )
    assert reply.status_code == 422, reply.text
    assert reply.headers["content-type"].startswith("application/problem+json")
    errors = reply.json()["errors"]
    # An unknown kind is reported on the body itself, its detail naming 'kind'.
    named = [e["pointer"] if e["pointer"] != "/" else "/" + e["detail"] for e in errors]
    assert any(p.startswith(pointer) or "'kind'" in p for p in named), errors


def test_purpose_is_required_and_desk_needs_a_supervisor(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    body = {"kind": "vehicle", "plate": "JAL123A"}
    missing = api.post("/api/v1/subscriptions", json=body, headers=headers["gdl_sbu"])
    assert missing.status_code == 422 and "/purpose" in missing.text
    desk = {**body, "purpose": "patrol", "desk": True}
    refused = api.post("/api/v1/subscriptions", json=desk, headers=headers["gdl_sbu"])
    assert refused.status_code == 403
    allowed = api.post("/api/v1/subscriptions", json=desk, headers=headers["gdl_conf"])
    assert allowed.status_code == 201
    # The desk's subscription is listed for everyone of the agency, deletable by its supervisors.
    listed = api.get("/api/v1/subscriptions", headers=headers["gdl_sbu"]).json()["items"]
    assert [s["desk"] for s in listed] == [True]
    sub = allowed.json()["id"]
    assert api.delete(f"/api/v1/subscriptions/{sub}", headers=headers["gdl_sbu"]).status_code == 404
    assert (
        api.delete(f"/api/v1/subscriptions/{sub}", headers=headers["gdl_conf"]).status_code == 204
    )


def test_bounded_per_user(
    api: TestClient, headers: dict[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    platform = api.app.state.platform  # type: ignore[attr-defined]
    monkeypatch.setattr(platform.settings, "max_subscriptions_per_user", 2)
    body = {"kind": "vehicle", "purpose": "patrol"}
    for plate in ("JAL123A", "JAL123B"):
        reply = api.post(
            "/api/v1/subscriptions", json={**body, "plate": plate}, headers=headers["fed"]
        )
        assert reply.status_code == 201
    third = api.post(
        "/api/v1/subscriptions", json={**body, "plate": "JAL123C"}, headers=headers["fed"]
    )
    assert third.status_code == 422
    assert third.json()["errors"][0]["pointer"] == "/kind"


def test_a_record_subscription_needs_a_record_you_may_read(
    api: TestClient, headers: dict[str, dict[str, str]]
) -> None:
    platform = api.app.state.platform  # type: ignore[attr-defined]
    service = RecordService(platform)
    body = {"agency": "POL-GDL", "plate": "JAL123A"}
    public = service.submit(LOCAL_ADMIN, "vehicle", {**body, "source_ref": "V1"})
    secret = service.submit(
        LOCAL_ADMIN, "vehicle", {**body, "source_ref": "V2", "marking": "SECRET"}
    )
    juvenile = service.submit(
        LOCAL_ADMIN, "vehicle", {**body, "source_ref": "V3", "restricted_file": "juvenile"}
    )

    def follow(user: str, record_id: str) -> int:
        reply = api.post(
            "/api/v1/subscriptions",
            json={"kind": "record", "record_id": record_id, "purpose": "investigation"},
            headers=headers[user],
        )
        return reply.status_code

    assert follow("zap_secret", public.id) == 201
    assert follow("zap_secret", secret.id) == 403  # another agency's SECRET record
    assert follow("zap_secret", juvenile.id) == 403
    assert follow("gdl_juv", juvenile.id) == 201
    assert follow("zap_secret", "no-such-record") == 404
    listed = api.get("/api/v1/subscriptions", headers=headers["zap_secret"]).json()["items"]
    assert [s["target"]["record_id"] for s in listed] == [public.id]


def test_subscriptions_need_a_login(api: TestClient) -> None:
    assert api.get("/api/v1/subscriptions").status_code == 401
    assert api.post("/api/v1/subscriptions", json={}).status_code == 401


def test_an_agency_system_subscribes_for_its_desk(api: TestClient) -> None:
    from plataforma.security.identity import create_api_key
    from plataforma.security.principal import Role

    platform = api.app.state.platform  # type: ignore[attr-defined]
    with platform.engine.begin() as conn:
        key = create_api_key(conn, "cad", "POL-GDL", [Role.SUPERVISOR])
    headers = {"X-API-Key": key}
    body = {"kind": "vehicle", "plate": "JAL123A", "purpose": "patrol"}
    own = api.post("/api/v1/subscriptions", json=body, headers=headers)
    assert own.status_code == 422 and own.json()["errors"][0]["pointer"] == "/desk"
    desk = api.post("/api/v1/subscriptions", json={**body, "desk": True}, headers=headers)
    assert desk.status_code == 201 and desk.json()["desk"] is True
