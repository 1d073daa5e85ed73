"""Two processes chaining a PostgreSQL store that has no head row yet: a benign race.

Neither finds a head row to lock, so both link from the genesis and both try to create the
row. The test plays the first process with a transaction that has created the row and not yet
committed; the chainer under test must wait for it, find the row taken, roll its own links
back, and say so quietly: before the fix its plain insert failed on the key and the audit log
logged an error and reported itself degraded for a race that loses nothing.
"""

from __future__ import annotations

import logging
import threading
import time

import pytest
from sqlalchemy import func, select, text

from plataforma.context import Platform
from plataforma.security.audit import AuditAction, AuditEvent
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.store.tables import audit_head, audit_log

WAITING_INSERT = text(
    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
    "AND query LIKE 'INSERT INTO audit_head%'"
)


def _wait_for_blocked_insert(platform: Platform, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    with platform.engine.connect() as conn:
        while conn.execute(WAITING_INSERT).scalar() == 0:
            assert time.monotonic() < deadline, "the chainer never reached its head insert"
            time.sleep(0.05)
            conn.rollback()


def test_the_second_first_chainer_rolls_back_without_an_error(
    platform: Platform, caplog: pytest.LogCaptureFixture
) -> None:
    if platform.engine.dialect.name != "postgresql":
        pytest.skip("SQLite takes its write lock first: two chainers cannot both start")
    platform.audit.record_many([AuditEvent.of(LOCAL_ADMIN, AuditAction.ADMIN) for _ in range(3)])
    other = platform.engine.connect()
    other.begin()
    other.execute(audit_head.insert().values(id=1, chain_seq=3, hash="f" * 64))
    linked: list[int] = []
    chainer = threading.Thread(target=lambda: linked.append(platform.audit.chain()))
    with caplog.at_level(logging.INFO, logger="plataforma"):
        chainer.start()
        try:
            _wait_for_blocked_insert(platform)
        finally:
            other.commit()
            other.close()
        chainer.join(timeout=60)
    assert linked == [0]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "chain" not in platform.audit.health.problems()
    assert any("created the chain's head first" in r.getMessage() for r in caplog.records)
    with platform.engine.connect() as conn:  # its links were rolled back with the insert
        chained = conn.execute(
            select(func.count()).select_from(audit_log).where(audit_log.c.hash.is_not(None))
        ).scalar()
    assert chained == 0
