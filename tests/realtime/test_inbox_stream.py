"""The inbox's live stream (Server-Sent Events) through a real server, with two agencies.

The app runs in uvicorn on a thread with the in-process bus and a test consumer that tells
``ana`` of every person record event, as a subscription would.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from realtime_helpers import notifier, person
from sse_client import SseStream

from conftest import add_two_desks, token_for
from plataforma.context import Platform
from plataforma.realtime.inbox import Notification, NotificationKind, deliver
from plataforma.records.service import RecordService
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.web.app import create_app
from web.server_process import threaded_server  # tests/ is on the path (its conftest)


def _note(key: str, user: str | None = None, agency: str | None = None) -> Notification:
    return Notification(NotificationKind.MESSAGE, key, recipient_user=user, recipient_agency=agency)


@pytest.fixture
def served(platform: Platform) -> Iterator[tuple[str, dict[str, dict[str, str]]]]:
    """A real server whose bus tells ana of every record event; tokens for ana and zoe."""
    add_two_desks(platform)
    platform.start_realtime([notifier(platform, "ana")])
    app = create_app(platform)
    with TestClient(app) as client:
        tokens = {name: token_for(client, name) for name in ("ana", "zoe")}
    with threaded_server(app) as url:
        yield url, tokens


def test_a_notification_is_pushed_to_its_reader_only(
    served: tuple[str, dict[str, dict[str, str]]], platform: Platform
) -> None:
    url, tokens = served
    ana = SseStream(f"{url}/api/v1/inbox/stream", tokens["ana"])
    zoe = SseStream(f"{url}/api/v1/inbox/stream", tokens["zoe"])
    assert ana.status == 200 and zoe.status == 200
    assert ana.next("unread")[1] == 0 and zoe.next("unread")[1] == 0
    written = time.monotonic()
    record = RecordService(platform).submit(LOCAL_ADMIN, "person", person("S-1"))
    ident, item = ana.next("notification")
    assert time.monotonic() - written < 2
    assert item["record_id"] == record.id and ident == str(item["id"])
    assert ana.next("unread")[1] == 1
    time.sleep(0.5)
    assert [e for e in zoe.drain() if e[0] == "notification"] == []
    ana.close()
    zoe.close()


def test_reconnecting_with_last_event_id_resumes(
    served: tuple[str, dict[str, dict[str, str]]], platform: Platform
) -> None:
    url, tokens = served
    first = SseStream(f"{url}/api/v1/inbox/stream", tokens["ana"])
    first.next("unread")
    RecordService(platform).submit(LOCAL_ADMIN, "person", person("R-1"))
    last, _ = first.next("notification")
    first.close()
    for ref in ("R-2", "R-3"):  # while disconnected
        RecordService(platform).submit(LOCAL_ADMIN, "person", person(ref))
    time.sleep(1)
    assert last is not None
    again = SseStream(f"{url}/api/v1/inbox/stream", {**tokens["ana"], "Last-Event-ID": last})
    got = [again.next("notification")[0] for _ in range(2)]
    assert [int(i or 0) for i in got] == sorted(int(i or 0) for i in got)
    assert all(int(i or 0) > int(last) for i in got)
    again.close()


def test_a_stalled_client_slows_nobody_else(
    served: tuple[str, dict[str, dict[str, str]]], platform: Platform
) -> None:
    """ana's client stops reading while her inbox floods; zoe's stream keeps its pace."""
    url, tokens = served
    port = int(url.rsplit(":", 1)[1])
    stalled = socket.create_connection(("127.0.0.1", port))
    stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    request = (
        "GET /api/v1/inbox/stream HTTP/1.1\r\nHost: x\r\n"
        f"Authorization: {tokens['ana']['Authorization']}\r\n\r\n"
    )
    stalled.sendall(request.encode())
    zoe = SseStream(f"{url}/api/v1/inbox/stream", tokens["zoe"])
    zoe.next("unread")
    flood = [
        Notification(
            NotificationKind.MESSAGE,
            f"flood-{i}",
            recipient_user="ana",
            summary={"text": "x" * 500},
        )
        for i in range(3000)
    ]
    for start in range(0, len(flood), 500):
        deliver(platform.engine, platform.bus, flood[start : start + 500])
    time.sleep(0.5)
    sent = time.monotonic()
    deliver(platform.engine, platform.bus, [_note("for-zoe", user="zoe")])
    zoe.next("notification", seconds=5)
    assert time.monotonic() - sent < 1.0
    stalled.close()
    zoe.close()
