"""Acknowledged means synced: what each durability test here proves, and what it does not.

``tests/web/test_kill_durability.py`` kills the server with SIGKILL and finds every
acknowledged write. A killed process leaves the operating system's page cache intact, so that
test passes with ``synchronous=OFF`` too: it proves only that nothing is acknowledged before
it is committed. Power loss drops the page cache; what survives it is what was fsync'ed. The
tests below prove the part a test can prove on one machine:

* ``test_every_api_write_commits_synchronously`` (both engines, no tools needed): at every
  commit on the API's write paths (one record, a batch, a replace, administrative acts, login
  and audit events) the connection runs at ``synchronous`` FULL (SQLite) or
  ``synchronous_commit`` on (PostgreSQL), read back from the connection at commit time.
  It runs after a bulk load, whose relaxed connections return to the same pool, so a relaxed
  setting that leaked into a pooled connection fails it.
* ``test_a_bulk_load_ends_with_a_synced_commit`` (both engines): the batches of a bulk load
  that leaves its audit events to the chainer commit relaxed by design; the load returns only
  after a synced commit that follows the last relaxed one, which (the log being sequential)
  makes every batch durable.
* ``test_a_linked_head_is_witnessed_only_after_a_synced_commit`` (both engines): a batch
  links its own audit events (the default); the head it linked is appended to the checkpoint
  log only after a synced commit, since a checkpoint must never name a head that a power loss
  could take back.
* ``test_no_acknowledgement_while_wal_data_is_unsynced`` (SQLite, where ``strace`` can
  trace): a real process writes through the records service and the bulk loader and marks
  each acknowledgement; ``strace`` records every write and fsync/fdatasync of the WAL. At each
  mark, every byte written to the WAL must already be covered by a completed sync. Control
  runs with ``synchronous`` NORMAL and OFF must fail the same check, which shows the test
  tells them apart from FULL.

None of them proves that the disk keeps what it acknowledged to ``fsync`` (a volatile write
cache without power-loss protection loses it): that is the hardware's part, see
docs/operations.md.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event

from conftest import token_for
from plataforma.context import Platform
from plataforma.ingest import bulk
from plataforma.ingest.bulk import BulkLoader
from plataforma.security import audit
from plataforma.security.principal import LOCAL_ADMIN

SYNCED = {"sqlite": {2, 3}, "postgresql": {"on", "local", "remote_write", "remote_apply"}}


def _setting(conn: Connection) -> Any:
    driver: Any = conn.connection.driver_connection
    if conn.dialect.name == "sqlite":
        return driver.execute("PRAGMA synchronous").fetchone()[0]
    return driver.execute("SHOW synchronous_commit").fetchone()[0]


@pytest.fixture
def commits(world: Platform) -> Iterator[list[Any]]:
    """The durability setting of every commit on ``world``'s engine, in order."""
    seen: list[Any] = []

    def note(conn: Connection) -> None:
        # The real-time runtime's bookkeeping (the relay marking events published, consumers
        # saving their positions) commits relaxed by design and acknowledges nothing: losing
        # it only publishes or handles events again, which the consumers absorb.
        if threading.current_thread().name.startswith(("outbox-relay", "bus-")):
            return
        seen.append(_setting(conn))

    event.listen(world.engine, "commit", note)
    yield seen
    event.remove(world.engine, "commit", note)


def _bulk_load(platform: Platform, first: int = 0, *, chain_batches: bool = False) -> None:
    rows = [
        (i, {"source_ref": f"B-{i}", "given_names": "Ana", "first_surname": "Lote"})
        for i in range(first, first + 60)
    ]
    loader = BulkLoader(platform, LOCAL_ADMIN, workers=0)
    loader.chain_batches = chain_batches
    loader.load("person", rows, batch_size=20)


def test_every_api_write_commits_synchronously(
    client: TestClient, world: Platform, commits: list[Any]
) -> None:
    _bulk_load(world)  # relaxed connections go back to the pool first
    commits.clear()
    clerk = token_for(client, "clerk")
    admin = token_for(client, "admin")
    person = {"source_ref": "S-1", "given_names": "Ana", "first_surname": "Firme"}
    made = client.post("/api/v1/records/person", json=person, headers=clerk)
    assert made.status_code == 201, made.text
    batch = [{**person, "source_ref": f"S-{i}"} for i in range(2, 6)]
    assert client.post("/api/v1/records/person/batch", json=batch, headers=clerk).status_code == 200
    replaced = client.put(
        f"/api/v1/records/person/{made.json()['id']}",
        json={**person, "given_names": "Ana María"},
        headers={**clerk, "If-Match": "1"},
    )
    assert replaced.status_code == 200, replaced.text
    agency = {"code": "POL-ZAP", "name": "Zapopan", "level": "municipal", "kind": "police"}
    added = client.post("/api/v1/admin/agencies", json={**agency, "state": "14"}, headers=admin)
    assert added.status_code == 201, added.text
    key = {"name": "cad", "agency": "POL-GDL", "roles": ["officer"]}
    assert client.post("/api/v1/admin/keys", json=key, headers=admin).status_code == 201
    world.audit.sync()  # buffered read events and the chain, as the background thread does
    assert len(commits) >= 8
    relaxed = [value for value in commits if value not in SYNCED[world.dialect]]
    assert relaxed == [], f"{len(relaxed)} of {len(commits)} commits not synced: {relaxed[:3]}"


def test_a_bulk_load_ends_with_a_synced_commit(world: Platform, commits: list[Any]) -> None:
    _bulk_load(world)
    synced = [value in SYNCED[world.dialect] for value in commits]
    assert False in synced, "the batches were not relaxed: this test would show nothing"
    last_relaxed = len(synced) - 1 - synced[::-1].index(False)
    assert True in synced[last_relaxed + 1 :], "no synced commit after the last relaxed batch"


@pytest.mark.parametrize("witness_seconds", [60.0, 0.0])
def test_a_linked_head_is_witnessed_only_after_a_synced_commit(
    world: Platform, commits: list[Any], monkeypatch: pytest.MonkeyPatch, witness_seconds: float
) -> None:
    world.audit.chain()  # a chain to continue (the fixture's accounts were audited)
    commits.clear()
    append = audit.append_head

    def witnessed(path: Any, seq: int, digest: str) -> bool:
        commits.append("witness")
        return append(path, seq, digest)

    monkeypatch.setattr(audit, "append_head", witnessed)
    monkeypatch.setattr(bulk, "WITNESS_SECONDS", witness_seconds)
    _bulk_load(world, chain_batches=True)
    assert "witness" in commits
    for at, value in enumerate(commits):
        if value == "witness":
            before = [c for c in commits[:at] if c != "witness"]
            assert before[-1] in SYNCED[world.dialect], commits


# --- the WAL under strace ---------------------------------------------------------------

_WRITER = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from sqlalchemy import event
    from plataforma.context import Platform
    from plataforma.ingest.bulk import BulkLoader
    from plataforma.records.service import RecordService
    from plataforma.security.principal import LOCAL_ADMIN
    from plataforma.settings import Settings

    data_dir, mode = Path(sys.argv[1]), sys.argv[2]
    platform = Platform.open(Settings(data_dir=data_dir))
    if mode != "FULL":  # a control run, deliberately less durable
        def weaken(dbapi, _record):
            dbapi.execute(f"PRAGMA synchronous={mode}")
        event.listen(platform.engine, "connect", weaken)
        platform.engine.dispose()
    marks = os.open(data_dir / "acks", os.O_WRONLY | os.O_CREAT, 0o600)
    service = RecordService(platform)
    for i in range(5):
        service.submit(LOCAL_ADMIN, "person", {"source_ref": f"A-{i}", "given_names": "Ana"})
        os.write(marks, b"ACK api")
    rows = [(i, {"source_ref": f"B-{i}", "given_names": "Eva"}) for i in range(300)]
    BulkLoader(platform, LOCAL_ADMIN, workers=0).load("person", rows, batch_size=100)
    os.write(marks, b"ACK bulk")
    platform.close()
    """
)
_CALL = re.compile(r"^(\d+) +(pwrite64|fdatasync|fsync|write)\((\d+)<([^>]*)>")
_RESUMED = re.compile(r"^(\d+) +<\.\.\. (pwrite64|fdatasync|fsync|write) resumed>")


def _unsynced_acks(trace: str) -> list[str]:
    """Acknowledgements made while some WAL write had no completed sync started after it."""
    last_write: dict[str, int] = {}
    synced_from: dict[str, int] = {}  # the start of the latest completed sync, per file
    pending: dict[str, tuple[str, str, int]] = {}  # pid -> call, path, start
    bad: list[str] = []
    for seq, line in enumerate(trace.splitlines()):
        done: tuple[str, str, int] | None = None
        if match := _CALL.match(line):
            pid, call, _fd, path = match.groups()
            if "<unfinished" in line:
                pending[pid] = (call, path, seq)
                continue
            done = (call, path, seq)
        elif match := _RESUMED.match(line):
            done = pending.pop(match.group(1), None)
        if done is None:
            continue
        call, path, started = done
        if path.endswith("-wal"):
            if call == "pwrite64":
                last_write[path] = seq
            elif call in ("fdatasync", "fsync"):
                synced_from[path] = max(synced_from.get(path, -1), started)
        elif call == "write" and path.endswith("/acks"):
            for wal, written in last_write.items():
                if synced_from.get(wal, -1) <= written:
                    bad.append(f"line {seq}: ack with {wal} written at line {written} unsynced")
    return bad


def _traced_run(tmp_path: Path, mode: str) -> tuple[str, int]:
    data_dir = tmp_path / mode
    data_dir.mkdir()
    script = tmp_path / "writer.py"
    script.write_text(_WRITER)
    trace = tmp_path / f"{mode}.strace"
    command = ["strace", "-f", "-y", "-s", "8", "-e", "trace=pwrite64,fdatasync,fsync,write"]
    done = subprocess.run(
        [*command, "-o", str(trace), sys.executable, str(script), str(data_dir), mode],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PLATAFORMA_MODE": "development"},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    text = trace.read_text()
    return text, text.count('"ACK')


def _strace_works() -> bool:
    if shutil.which("strace") is None:
        return False
    probe = subprocess.run(["strace", "-o", os.devnull, "true"], capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(not _strace_works(), reason="strace missing or ptrace not permitted here")
def test_no_acknowledgement_while_wal_data_is_unsynced(tmp_path: Path) -> None:
    trace, acks = _traced_run(tmp_path, "FULL")
    assert acks == 6, "the writer did not mark its acknowledgements"
    assert _unsynced_acks(trace) == []
    for weaker in ("NORMAL", "OFF"):  # the check can tell: both must fail it
        control, control_acks = _traced_run(tmp_path, weaker)
        assert control_acks == 6
        assert _unsynced_acks(control), f"synchronous={weaker} passed: the check shows nothing"
