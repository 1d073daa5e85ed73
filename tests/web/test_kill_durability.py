"""An acknowledged write survives ``kill -9`` of the server (SQLite, WAL, synchronous=FULL).

The server runs as a real uvicorn process; client threads submit records as fast as they can
and remember every 201/200. The process is killed without warning mid-stream; reopening the
store must show every acknowledged record, at the acknowledged version or later.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from server_process import wait_until_up

from conftest import add_agency
from plataforma.context import Platform
from plataforma.security.identity import create_api_key
from plataforma.security.principal import Role
from plataforma.settings import Settings
from plataforma.store import reader

WRITERS = 4


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _prepare_store(data_dir: Path) -> str:
    platform = Platform.open(Settings(data_dir=data_dir))
    try:
        add_agency(platform, "POL-GDL", "municipal", "police", "14")
        with platform.engine.begin() as conn:
            return create_api_key(conn, "durability", "POL-GDL", [Role.OFFICER])
    finally:
        platform.close()


def _submit_until_refused(
    url: str, key: str, writer: int, acked: dict[str, tuple[str, int]], lock: threading.Lock
) -> None:
    with httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=10) as http:
        for i in range(100_000):
            source_ref = f"KILL-{writer}-{i}"
            body = {
                "source_ref": source_ref,
                "folio": f"F-{source_ref}",
                "occurred_at": "2024-03-01T10:00:00",
                "place": {"state": "14"},
                "crime_types": ["robo_a_negocio"],
            }
            try:
                reply = http.post("/api/v1/records/incident", json=body)
            except httpx.HTTPError:
                return  # the server is gone
            if reply.status_code in (200, 201):
                with lock:
                    acked[source_ref] = (reply.json()["id"], reply.json()["version"])


@pytest.mark.slow
def test_acknowledged_writes_survive_sigkill(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    key = _prepare_store(data_dir)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PLATAFORMA_DATA_DIR": str(data_dir), "PLATAFORMA_MODE": "development"}
    env.pop("PLATAFORMA_DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "plataforma.web.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_until_up(url, server)
        acked: dict[str, tuple[str, int]] = {}
        lock = threading.Lock()
        writers = [
            threading.Thread(target=_submit_until_refused, args=(url, key, n, acked, lock))
            for n in range(WRITERS)
        ]
        for thread in writers:
            thread.start()
        deadline = time.monotonic() + 10
        while len(acked) < 300 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
        for thread in writers:
            thread.join(timeout=15)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert len(acked) >= 50, "too few writes acknowledged before the kill to show anything"
    platform = Platform.open(Settings(data_dir=data_dir))
    try:
        with platform.engine.connect() as conn:
            lost = []
            for source_ref, (record_id, version) in acked.items():
                stored = reader.get_record(conn, record_id)
                if stored is None or stored.source_ref != source_ref or stored.version < version:
                    lost.append(source_ref)
    finally:
        platform.close()
    assert not lost, f"{len(lost)} of {len(acked)} acknowledged writes lost: {lost[:5]}"
