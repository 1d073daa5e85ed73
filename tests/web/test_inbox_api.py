"""``/api/v1/inbox``: listing, read state and the live stream, with two agencies.
(The live stream's tests are in tests/realtime/test_inbox_stream.py.)
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from conftest import add_two_desks, token_for
from plataforma.context import Platform
from plataforma.realtime.inbox import Notification, NotificationKind, deliver
from plataforma.web.app import create_app


def _note(key: str, user: str | None = None, agency: str | None = None) -> Notification:
    return Notification(NotificationKind.MESSAGE, key, recipient_user=user, recipient_agency=agency)


@pytest.fixture
def api(platform: Platform) -> Iterator[TestClient]:
    add_two_desks(platform)
    with TestClient(create_app(platform)) as client:
        yield client


def test_listing_pages_and_reading(api: TestClient) -> None:
    platform = api.app.state.platform  # type: ignore[attr-defined]
    deliver(platform.engine, None, [_note(f"a{i}", user="ana") for i in range(3)])
    deliver(platform.engine, None, [_note("desk", agency="POL-GDL"), _note("z", user="zoe")])
    ana = token_for(api, "ana")
    first = api.get("/api/v1/inbox?limit=2", headers=ana)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["unread"] == 4 and len(body["items"]) == 2 and body["next_cursor"]
    rest = api.get(f"/api/v1/inbox?limit=2&cursor={body['next_cursor']}", headers=ana).json()
    items = body["items"] + rest["items"]
    assert rest["next_cursor"] is None and len(items) == 4
    assert {item["to"] for item in items} == {"user", "agency"}
    read = api.post(f"/api/v1/inbox/{items[0]['id']}/read", headers=ana)
    assert read.status_code == 200 and read.json()["read_at"]
    assert api.get("/api/v1/inbox?unread=true", headers=ana).json()["unread"] == 3


def test_bad_input_and_other_peoples_notifications(api: TestClient) -> None:
    platform = api.app.state.platform  # type: ignore[attr-defined]
    deliver(platform.engine, None, [_note("z", user="zoe"), _note("zap", agency="POL-ZAP")])
    ana, zoe = token_for(api, "ana"), token_for(api, "zoe")
    assert api.get("/api/v1/inbox", headers=ana).json()["items"] == []
    zoes = api.get("/api/v1/inbox", headers=zoe).json()["items"]
    for item in zoes:
        refused = api.post(f"/api/v1/inbox/{item['id']}/read", headers=ana)
        assert refused.status_code == 404
        assert refused.headers["content-type"].startswith("application/problem+json")
    bad = api.get("/api/v1/inbox?cursor=zz", headers=ana)
    assert bad.status_code == 422 and bad.json()["errors"][0]["pointer"] == "/cursor"
    assert api.get("/api/v1/inbox?limit=0", headers=ana).status_code == 422
    assert api.post("/api/v1/inbox/abc/read", headers=ana).status_code == 422
    assert api.get("/api/v1/inbox").status_code == 401
    assert api.get("/api/v1/inbox/stream").status_code == 401
