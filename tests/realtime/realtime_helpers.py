"""Test consumers and records for the real-time tests.

Until the subscription work's consumers exist, :func:`notifier` stands in for them: a real
handler on the bus that delivers one notification per record event, idempotently.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from plataforma.context import Platform
from plataforma.realtime.bus import Handler
from plataforma.realtime.events import RecordEvent
from plataforma.realtime.inbox import Notification, NotificationKind, deliver
from plataforma.records.service import RecordService
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.store.tables import notifications


class Recorder:
    """A consumer that keeps the person events it handled (failing ``fail_times`` first)."""

    def __init__(self, fail_times: int = 0, record_type: str = "person") -> None:
        self._record_type = record_type
        self.events: list[RecordEvent] = []
        self.arrived: dict[int, float] = {}
        self.failures = 0
        self._fail_times = fail_times
        self._changed = threading.Condition()

    def __call__(self, event: RecordEvent) -> None:
        if event.record_type != self._record_type:
            return
        if self.failures < self._fail_times:
            self.failures += 1
            raise RuntimeError("failing on purpose")
        with self._changed:
            self.events.append(event)
            self.arrived.setdefault(event.outbox_id, time.monotonic())
            self._changed.notify_all()

    def ids(self) -> set[int]:
        return {event.outbox_id for event in self.events}

    def wait_for(self, count: int, seconds: float = 15) -> None:
        deadline = time.monotonic() + seconds
        with self._changed:
            while len(self.ids()) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"{len(self.ids())} of {count} events arrived"
                self._changed.wait(timeout=left)


def notifier(platform: Platform, user: str, name: str = "test-notifier") -> tuple[str, Handler]:
    """A durable consumer that tells ``user`` of every person record event (one each)."""

    def handle(event: RecordEvent) -> None:
        if event.record_type != "person":
            return
        deliver(
            platform.engine,
            platform.bus,
            [
                Notification(
                    NotificationKind.SUBSCRIPTION_MATCH,
                    f"{name}:{event.outbox_id}",
                    recipient_user=user,
                    record_id=event.record_id,
                    record_type=event.record_type,
                    summary={"event": event.event},
                )
            ],
        )

    return name, handle


def person(ref: str, agency: str = "POL-GDL", **extra: Any) -> dict[str, Any]:
    return {
        "source_ref": ref,
        "agency": agency,
        "given_names": "Luis",
        "first_surname": "Sintético",
        **extra,
    }


def write_people(platform: Platform, count: int, prefix: str = "P") -> None:
    service = RecordService(platform)
    for index in range(count):
        service.submit(LOCAL_ADMIN, "person", person(f"{prefix}-{index}"))


def notification_count(platform: Platform) -> int:
    with platform.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(notifications)) or 0)


def wait_until(check: Callable[[], bool], seconds: float = 20, what: str = "condition") -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)
