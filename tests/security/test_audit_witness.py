"""The checkpoint log outside the database is a witness the chainer and verify both obey.

Issue 6 finding 4: after truncating the log's tail (or rewriting its last rows) and deleting
or rewinding ``audit_head``, the next chain run used to continue from the database's own
head, overwrite the checkpoint and let ``verify`` pass. Now the chainer refuses, new events
wait unchained, and ``verify`` names the checkpointed head the database lost.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import delete, func, select, update

from plataforma.context import Platform
from plataforma.security.audit import AuditAction, AuditEvent, AuditLog
from plataforma.security.audit_forms import CURRENT_VERSION, row_hash
from plataforma.security.audit_verify import verify_chain
from plataforma.security.checkpoint import (
    append_head,
    latest_head,
    read_log,
)
from plataforma.store.tables import audit_head, audit_log


def _event(n: int) -> AuditEvent:
    return AuditEvent(f"officer{n}", "POL-GDL", AuditAction.READ, record_id=f"r{n}")


@pytest.fixture
def chained(platform: Platform) -> Platform:
    """Twelve events chained in three runs: three heads in the checkpoint log."""
    for run in range(3):
        platform.audit.record_many([_event(run * 4 + i) for i in range(4)])
        assert platform.audit.chain() == 4
    return platform


def _problems(platform: Platform) -> list[str]:
    with platform.engine.connect() as conn:
        return verify_chain(conn, platform.settings.checkpoint_path).problems


def _refusals() -> float:
    return REGISTRY.get_sample_value("plataforma_audit_chain_refusals_total") or 0.0


def _unchained(platform: Platform) -> int:
    with platform.engine.connect() as conn:
        query = select(func.count()).select_from(audit_log).where(audit_log.c.hash.is_(None))
        return int(conn.execute(query).scalar_one())


def _rechain_from(platform: Platform, first_seq: int) -> None:
    """What an attacker with database access does: recompute every link from ``first_seq``."""
    with platform.engine.begin() as conn:
        prev = conn.execute(
            select(audit_log.c.hash).where(audit_log.c.chain_seq == first_seq - 1)
        ).scalar_one()
        rows = conn.execute(
            select(audit_log).where(audit_log.c.chain_seq >= first_seq).order_by("chain_seq")
        ).all()
        for row in rows:
            digest = row_hash(prev, row.chain_seq, row, CURRENT_VERSION)
            conn.execute(
                update(audit_log)
                .where(audit_log.c.id == row.id)
                .values(prev_hash=prev, hash=digest, chain_version=CURRENT_VERSION)
            )
            prev = digest
        last = rows[-1].chain_seq if rows else first_seq - 1
        conn.execute(delete(audit_head))
        conn.execute(audit_head.insert().values(id=1, chain_seq=last, hash=prev))


def test_each_chain_run_appends_a_head_and_the_log_verifies(chained: Platform) -> None:
    witness = read_log(chained.settings.checkpoint_path)
    assert [h.chain_seq for h in witness.heads] == [4, 8, 12]
    assert _problems(chained) == []
    with chained.engine.connect() as conn:
        versions = set(conn.execute(select(audit_log.c.chain_version)).scalars())
    assert versions == {CURRENT_VERSION}


def test_a_truncated_tail_and_deleted_head_stop_the_chainer(chained: Platform) -> None:
    before = latest_head(chained.settings.checkpoint_path)
    refusals = _refusals()
    with chained.engine.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.chain_seq > 9))
        conn.execute(delete(audit_head))
    chained.audit.record(_event(99))  # still inserted, so nothing is lost
    assert chained.audit.chain() == 0
    assert _unchained(chained) == 1
    assert latest_head(chained.settings.checkpoint_path) == before  # witness not overwritten
    assert "truncated" in chained.audit.health.problems()["chain"]
    assert _refusals() == refusals + 1
    assert any("checkpointed at 12" in p and "truncated" in p for p in _problems(chained))


def test_rewritten_last_rows_with_a_consistent_head_stop_the_chainer(chained: Platform) -> None:
    with chained.engine.begin() as conn:
        conn.execute(
            update(audit_log).where(audit_log.c.chain_seq >= 11).values(actor="someone-else")
        )
    _rechain_from(chained, 11)  # every link recomputed: the chain alone looks intact
    chained.audit.record(_event(99))
    assert chained.audit.chain() == 0
    assert "rewritten" in (chained.audit.refusal or "")
    problems = _problems(chained)
    assert any("row 12 differs from the checkpointed head" in p for p in problems)
    assert not any("altered" in p for p in problems)  # only the witness can tell


def test_a_truncated_and_rechained_tail_fails_verify_on_every_lost_head(
    chained: Platform,
) -> None:
    with chained.engine.begin() as conn:
        conn.execute(delete(audit_log).where(audit_log.c.chain_seq > 6))
    _rechain_from(chained, 7)  # head row now agrees with the shortened chain
    chained.audit.record(_event(99))
    assert chained.audit.chain() == 0
    problems = _problems(chained)
    assert sum("truncated" in p for p in problems) == 2  # heads 8 and 12 are both gone


def test_a_rewound_head_row_stops_the_chainer(chained: Platform) -> None:
    with chained.engine.begin() as conn:
        row8 = conn.execute(select(audit_log.c.hash).where(audit_log.c.chain_seq == 8)).scalar_one()
        conn.execute(update(audit_head).values(chain_seq=8, hash=row8))
    chained.audit.record(_event(99))
    assert chained.audit.chain() == 0
    assert "head row says 8" in (chained.audit.refusal or "")
    assert any("head row says 8" in p for p in _problems(chained))


def test_a_deleted_checkpoint_log_stops_the_chainer(chained: Platform) -> None:
    chained.settings.checkpoint_path.unlink()
    chained.audit.record(_event(99))
    assert chained.audit.chain() == 0
    assert "no head" in (chained.audit.refusal or "")
    assert any("checkpoint log has no head" in p for p in _problems(chained))


def test_chaining_resumes_once_the_witness_agrees_again(chained: Platform) -> None:
    path = chained.settings.checkpoint_path
    saved = path.read_bytes()
    path.unlink()
    chained.audit.record(_event(99))
    assert chained.audit.chain() == 0
    path.write_bytes(saved)  # the operator restores the checkpoint log
    assert chained.audit.chain() == 1
    assert chained.audit.health.problems() == {}
    assert _problems(chained) == []


def test_a_rewound_checkpoint_log_is_reported(chained: Platform) -> None:
    path = chained.settings.checkpoint_path
    first = read_log(path).heads[0]
    with open(path, "a") as handle:  # someone appends an older head to hide later ones
        handle.write(json.dumps({"chain_seq": first.chain_seq, "hash": first.hash}) + "\n")
    assert any("rewound" in p for p in _problems(chained))


def test_a_lower_head_is_never_appended(tmp_path: Path) -> None:
    path = tmp_path / "heads.jsonl"
    assert append_head(path, 10, "a" * 64)
    assert not append_head(path, 7, "b" * 64)  # a slower process committed earlier
    assert [h.chain_seq for h in read_log(path).heads] == [10]


def test_a_legacy_single_head_file_becomes_a_log(platform: Platform) -> None:
    platform.audit.record_many([_event(i) for i in range(3)])
    platform.audit.chain()
    path = platform.settings.checkpoint_path
    head = latest_head(path)
    assert head is not None
    # What releases before the log wrote: one JSON object, no newline, replaced each time.
    path.write_text(json.dumps({"chain_seq": head.chain_seq, "hash": head.hash, "at": "x"}))
    platform.audit.record(_event(9))
    assert platform.audit.chain() == 1
    assert [h.chain_seq for h in read_log(path).heads] == [3, 4]
    assert _problems(platform) == []


def test_heads_are_shipped_to_syslog(platform: Platform) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as collector:
        collector.bind(("127.0.0.1", 0))
        collector.settimeout(5)
        port = collector.getsockname()[1]
        audit = AuditLog(
            platform.engine, platform.settings.checkpoint_path, syslog=f"127.0.0.1:{port}"
        )
        audit.record(_event(1))
        audit.chain()
        message = collector.recv(4096).decode()
    head = latest_head(platform.settings.checkpoint_path)
    assert head is not None
    assert f"chain_seq={head.chain_seq} hash={head.hash}" in message
