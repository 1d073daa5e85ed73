"""The runtime's health: an unreachable broker is named in /healthz; /metrics shows the backlog."""

from __future__ import annotations

import socket
import time

from fastapi.testclient import TestClient
from realtime_helpers import wait_until, write_people

from conftest import add_agency
from plataforma.context import Platform
from plataforma.web.app import create_app


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_broker_degrades_health_and_keeps_the_events(
    sqlite_platform: Platform,
) -> None:
    platform = sqlite_platform
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    platform.settings.bus_url = f"nats://127.0.0.1:{_closed_port()}"
    platform.settings.relay_sweep_seconds = 0.2
    started = time.monotonic()
    runtime = platform.start_realtime()
    assert time.monotonic() - started < 10  # the server starts degraded, it does not hang
    write_people(platform, 3)
    wait_until(lambda: "outbox relay" in runtime.problems(), 10, "the relay to fail")
    problems = runtime.problems()
    assert "bus broker" in problems and "NATS unreachable" in problems["bus broker"]
    assert runtime.relay.unpublished() == 4  # the agency and three persons, kept
    with TestClient(create_app(platform)) as client:
        health = client.get("/healthz")
        assert health.status_code == 503
        assert "bus broker" in health.json()["problems"]
        assert "plataforma_outbox_unpublished" in client.get("/metrics").text


def test_health_is_ok_and_the_backlog_drains_on_the_memory_bus(sqlite_platform: Platform) -> None:
    platform = sqlite_platform
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    platform.settings.relay_sweep_seconds = 0.1
    with TestClient(create_app(platform)) as client:
        write_people(platform, 5)
        assert platform.realtime is not None
        relay = platform.realtime.relay
        wait_until(lambda: relay.unpublished() == 0, 10, "the outbox to drain")
        time.sleep(0.3)  # a sweep sets the gauge
        assert client.get("/healthz").json()["status"] == "ok"
        assert "plataforma_outbox_unpublished 0.0" in client.get("/metrics").text
