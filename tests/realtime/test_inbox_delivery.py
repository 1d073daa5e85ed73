"""The inbox's delivery side: one row per dedupe key, whatever the redeliveries, on both engines."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from plataforma.context import Platform
from plataforma.realtime.inbox import (
    Notification,
    NotificationKind,
    Priority,
    announce,
    deliver,
    deliver_in,
)
from plataforma.store.engine import begin_write
from plataforma.store.tables import notifications


def _note(key: str, user: str | None = "ana", agency: str | None = None) -> Notification:
    return Notification(
        NotificationKind.DELAYED_HIT,
        key,
        recipient_user=user,
        recipient_agency=agency,
        priority=Priority.URGENT,
        record_id="0190-rec",
        record_type="warrant",
        summary={"record_type": "warrant"},
    )


def _count(platform: Platform) -> int:
    with platform.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(notifications)) or 0)


def test_redelivery_is_a_no_op(platform: Platform) -> None:
    assert deliver(platform.engine, None, [_note("k1"), _note("k2", None, "FGE-JAL")]) == 2
    assert deliver(platform.engine, None, [_note("k1"), _note("k2", None, "FGE-JAL")]) == 0
    assert _count(platform) == 2
    with platform.engine.connect() as conn:
        row = conn.execute(select(notifications).where(notifications.c.dedupe_key == "k1")).one()
    assert (row.recipient_user, row.kind, row.priority) == ("ana", "delayed_hit", "urgent")
    assert row.read_at is None


def test_concurrent_deliveries_of_one_key_leave_one_row(platform: Platform) -> None:
    results: list[int] = []

    def worker() -> None:
        results.append(deliver(platform.engine, None, [_note("same")]))

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 0, 0, 0, 0, 1]
    assert _count(platform) == 1


def test_rolled_back_transaction_delivers_nothing(platform: Platform) -> None:
    with pytest.raises(RuntimeError), begin_write(platform.engine) as conn:
        assert len(deliver_in(conn, [_note("lost")])) == 1
        raise RuntimeError("the write this notification belonged to failed")
    assert _count(platform) == 0


def test_exactly_one_recipient() -> None:
    with pytest.raises(ValueError, match="exactly one recipient"):
        _note("x", None, None)
    with pytest.raises(ValueError, match="exactly one recipient"):
        _note("x", "ana", "FGE-JAL")


class _Signals:
    name = "record"

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes]] = []

    def signal(self, subject: str, payload: bytes) -> None:
        self.sent.append((subject, payload))


def test_announce_wakes_each_recipient_once() -> None:
    bus = _Signals()
    announce(bus, [_note("a"), _note("b"), _note("c", None, "SSPC")])  # type: ignore[arg-type]
    assert [s for s, _ in bus.sent] == ["inbox.agency.SSPC", "inbox.user.ana"]
