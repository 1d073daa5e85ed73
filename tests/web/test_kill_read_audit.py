"""Every read answered 200 has its audit event after ``kill -9`` of the server.

Issue 6 finding 5: twenty reads answered within 25 ms of a kill had no event after restart,
because read events waited in a memory buffer while the answer went out. The server runs as
a real uvicorn process; reader threads fetch records with a purpose and count every 200 per
record id; the process is killed mid-stream, and the reopened store must hold at least that
many read events for each record.

Like test_kill_durability, a killed process leaves the OS cache intact: this proves the event
was committed before the answer, not that the commit reached the platter (that is what
``synchronous=FULL`` and the group commit's synced transaction are for).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from server_process import wait_until_up
from sqlalchemy import func, select

from conftest import add_agency
from plataforma.context import Platform
from plataforma.records.service import RecordService
from plataforma.security.identity import create_api_key
from plataforma.security.principal import LOCAL_ADMIN, Role
from plataforma.settings import Settings
from plataforma.store.tables import audit_log
from web.test_kill_durability import _free_port

READERS = 4
RECORDS = 40


def _prepare_store(data_dir: Path) -> tuple[str, list[str]]:
    platform = Platform.open(Settings(data_dir=data_dir))
    try:
        add_agency(platform, "POL-GDL", "municipal", "police", "14")
        service = RecordService(platform)
        ids = [
            service.submit(
                LOCAL_ADMIN,
                "person",
                {
                    "source_ref": f"READ-{i}",
                    "agency": "POL-GDL",
                    "given_names": "Sintético",
                    "first_surname": "Prueba",
                    "date_of_birth": "1980-01-01",
                },
            ).id
            for i in range(RECORDS)
        ]
        with platform.engine.begin() as conn:
            key = create_api_key(conn, "reader", "POL-GDL", [Role.OFFICER])
        return key, ids
    finally:
        platform.close()


def _read_until_refused(
    url: str, key: str, ids: list[str], answered: Counter[str], lock: threading.Lock
) -> None:
    headers = {"X-API-Key": key, "X-Purpose": "investigation"}
    with httpx.Client(base_url=url, headers=headers, timeout=10) as http:
        for i in range(1_000_000):
            record_id = ids[i % len(ids)]
            try:
                reply = http.get(f"/api/v1/records/person/{record_id}")
            except httpx.HTTPError:
                return  # the server is gone
            if reply.status_code == 200:
                with lock:
                    answered[record_id] += 1


@pytest.mark.slow
def test_answered_reads_keep_their_audit_events_across_sigkill(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    key, ids = _prepare_store(data_dir)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PLATAFORMA_DATA_DIR": str(data_dir), "PLATAFORMA_MODE": "development"}
    env.pop("PLATAFORMA_DATABASE_URL", None)
    env.pop("PLATAFORMA_AUDIT_READS_DURABLE", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "plataforma.web.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    answered: Counter[str] = Counter()
    try:
        wait_until_up(url, server)
        lock = threading.Lock()
        readers = [
            threading.Thread(
                target=_read_until_refused, args=(url, key, ids[n::READERS], answered, lock)
            )
            for n in range(READERS)
        ]
        for thread in readers:
            thread.start()
        deadline = time.monotonic() + 10
        while sum(answered.values()) < 300 and time.monotonic() < deadline:
            time.sleep(0.02)
        server.send_signal(signal.SIGKILL)  # mid-stream: reads are in flight
        server.wait(timeout=10)
        for thread in readers:
            thread.join(timeout=15)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert sum(answered.values()) >= 50, "too few reads answered before the kill"
    platform = Platform.open(Settings(data_dir=data_dir))
    try:
        with platform.engine.connect() as conn:
            stored = dict(
                conn.execute(  # type: ignore[arg-type]
                    select(audit_log.c.record_id, func.count())
                    .where(audit_log.c.action == "read", audit_log.c.outcome == "ok")
                    .group_by(audit_log.c.record_id)
                ).all()
            )
    finally:
        platform.close()
    short = {rid: (n, stored.get(rid, 0)) for rid, n in answered.items() if stored.get(rid, 0) < n}
    assert not short, f"reads answered without their audit event (answered, stored): {short}"
