"""Faults with real processes: a broker outage, a consumer killed mid-batch, two workers.

(a) NATS stops while records are written through a real server, then starts again: every
notification arrives exactly once. The test runs its own nats-server (never the shared one).
(b) A server whose consumer is handling a batch is killed (SIGKILL) and started again:
nothing lost, nothing doubled, on both buses.
(c) Two real server processes on one PostgreSQL and one NATS: a notification delivered by a
consumer in one reaches an SSE stream held on the other.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bus_fixtures import NATS_URL, drop_stream, fresh_namespace
from realtime_helpers import notification_count, person, wait_until, write_people
from sse_client import SseStream

import plataforma
from conftest import PASSWORD, TOTP_SECRET, add_agency, add_user, forget_totp_use
from plataforma.context import Platform
from plataforma.security.passwords import current_totp
from plataforma.settings import Settings
from web.server_process import wait_until_up  # tests/ is on the path (its conftest)

HERE = Path(__file__).resolve().parent
SRC = Path(plataforma.__file__).resolve().parents[1]
NATS_SERVER = Path("/usr/sbin/nats-server")

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(settings: Settings) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": f"{SRC}{os.pathsep}{HERE}",
        "PLATAFORMA_MODE": "development",
        "PLATAFORMA_DATA_DIR": str(settings.data_dir),
        "PLATAFORMA_BUS_URL": settings.bus_url,
        "PLATAFORMA_BUS_NAMESPACE": settings.bus_namespace,
        "PLATAFORMA_RELAY_SWEEP_SECONDS": "0.5",
    }
    env.pop("PLATAFORMA_DATABASE_URL", None)
    if settings.database_url:
        env["PLATAFORMA_DATABASE_URL"] = settings.database_url
    return env


def _notifier_server(settings: Settings, port: int, delay_ms: int = 0) -> subprocess.Popen[bytes]:
    command = [sys.executable, str(HERE / "notifier_server.py"), str(port), "ana", str(delay_ms)]
    return subprocess.Popen(
        command, env=_env(settings), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _serve(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    """``plataforma serve`` itself."""
    command = [sys.executable, "-m", "plataforma.cli.main", "serve", "--port", str(port)]
    return subprocess.Popen(
        command, env=_env(settings), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)


def _token(platform: Platform, url: str, user: str) -> dict[str, str]:
    forget_totp_use(platform, user)
    reply = httpx.post(
        f"{url}/api/v1/auth/token",
        json={"username": user, "password": PASSWORD, "totp": current_totp(TOTP_SECRET)},
        timeout=30,
    )
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


def _people(platform: Platform) -> None:
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    add_user(platform, "ana", "POL-GDL", ["officer"])
    add_user(platform, "clerk", "POL-GDL", ["records_clerk"])


class OwnNats:
    """A nats-server of the test's own (JetStream, file storage), stopped and started at will."""

    def __init__(self, store: Path) -> None:
        self.port = _free_port()
        self.url = f"nats://127.0.0.1:{self.port}"
        self._store = store
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(NATS_SERVER), "-js", "-p", str(self.port), "-sd", str(self._store)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise AssertionError("nats-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def own_nats(tmp_path: Path) -> Iterator[OwnNats]:
    if not NATS_SERVER.exists():
        pytest.skip("nats-server not installed (/usr/sbin/nats-server)")
    server = OwnNats(tmp_path / "jetstream")
    server.start()
    yield server
    server.stop()


def test_a_broker_outage_delays_notifications_and_loses_none(
    sqlite_platform: Platform, own_nats: OwnNats
) -> None:
    platform = sqlite_platform
    _people(platform)
    platform.settings.bus_url = own_nats.url
    platform.settings.bus_namespace = fresh_namespace()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = _notifier_server(platform.settings, port)
    written: list[str] = []
    try:
        wait_until_up(url, server)
        clerk = _token(platform, url, "clerk")
        stop_writing = threading.Event()

        def write() -> None:
            with httpx.Client(base_url=url, headers=clerk, timeout=30) as client:
                while not stop_writing.is_set():
                    ref = f"OUT-{len(written)}"
                    reply = client.post("/api/v1/records/person", json=person(ref))
                    assert reply.status_code == 201, reply.text
                    written.append(ref)
                    time.sleep(0.01)

        writer = threading.Thread(target=write)
        writer.start()
        time.sleep(1.5)
        own_nats.stop()  # writes go on: their events wait in the outbox
        during = len(written)
        time.sleep(2.5)
        assert len(written) > during, "the server stopped accepting writes"
        assert httpx.get(f"{url}/healthz", timeout=5).status_code == 503  # the broker is named
        own_nats.start()
        time.sleep(1.5)
        stop_writing.set()
        writer.join(timeout=30)
        wait_until(
            lambda: notification_count(platform) >= len(written),
            seconds=90,
            what=f"{len(written)} notifications",
        )
        time.sleep(2)  # redeliveries, if any, would land now
        assert notification_count(platform) == len(written)
        wait_until(lambda: httpx.get(f"{url}/healthz", timeout=5).status_code == 200, 30)
    finally:
        _stop(server)


@pytest.mark.parametrize("bus", ["memory", "nats"])
def test_a_consumer_killed_mid_batch_loses_and_doubles_nothing(
    sqlite_platform: Platform, bus: str
) -> None:
    platform = sqlite_platform
    _people(platform)
    namespace = fresh_namespace()
    if bus == "nats":
        if not NATS_URL:
            pytest.skip("NATS not configured: set PLATAFORMA_TEST_NATS_URL to run this")
        platform.settings.bus_url = NATS_URL
    platform.settings.bus_namespace = namespace
    write_people(platform, 150, "K")  # before any server: all wait in the outbox
    port = _free_port()
    slow = _notifier_server(platform.settings, port, delay_ms=30)
    try:
        wait_until_up(f"http://127.0.0.1:{port}", slow)
        wait_until(lambda: notification_count(platform) >= 20, 60, "the first notifications")
        slow.send_signal(signal.SIGKILL)
        slow.wait(timeout=10)
        assert notification_count(platform) < 150, "the batch ended before the kill"
        again = _notifier_server(platform.settings, port)
        try:
            wait_until_up(f"http://127.0.0.1:{port}", again)
            wait_until(lambda: notification_count(platform) >= 150, 90, "150 notifications")
            time.sleep(1.5)
            assert notification_count(platform) == 150
        finally:
            _stop(again)
    finally:
        _stop(slow)
        if bus == "nats" and NATS_URL:
            drop_stream(NATS_URL, namespace)


# PostgreSQL only: several workers share a database server, not an embedded SQLite file.
@pytest.mark.parametrize("platform", ["postgres"], indirect=True)
def test_two_workers_see_each_others_events(platform: Platform) -> None:
    """Records written on worker A; the notification reaches ana's stream on worker B."""
    if not NATS_URL:
        pytest.skip("NATS not configured: set PLATAFORMA_TEST_NATS_URL to run this")
    _people(platform)
    platform.settings.bus_url = NATS_URL
    platform.settings.bus_namespace = fresh_namespace()
    port_a, port_b = _free_port(), _free_port()
    worker_a = _notifier_server(platform.settings, port_a)
    worker_b = _serve(platform.settings, port_b)
    url_a, url_b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
    try:
        wait_until_up(url_a, worker_a)
        wait_until_up(url_b, worker_b)
        clerk = _token(platform, url_a, "clerk")
        ana = SseStream(f"{url_b}/api/v1/inbox/stream", _token(platform, url_b, "ana"))
        assert ana.status == 200
        ana.next("unread", seconds=20)
        refs = [f"AB-{i}" for i in range(5)]
        for ref in refs:
            reply = httpx.post(
                f"{url_a}/api/v1/records/person", json=person(ref), headers=clerk, timeout=30
            )
            assert reply.status_code == 201, reply.text
        ids = {ana.next("notification", seconds=20)[0] for _ in refs}
        assert len(ids) == len(refs)
        time.sleep(1)
        assert notification_count(platform) == len(refs)
        ana.close()
    finally:
        _stop(worker_a)
        _stop(worker_b)
        drop_stream(NATS_URL, platform.settings.bus_namespace)
