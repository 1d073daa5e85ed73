"""One suite for every bus (in-process and NATS JetStream), on SQLite and PostgreSQL.

Record events flow from a commit through the outbox relay to durable consumers; signals fan
out to listeners; a consumer stopped and started again resumes where it stopped.
"""

from __future__ import annotations

import threading
import time

from bus_fixtures import bus_url_fixture, on_bus_fixture  # noqa: F401  (fixtures)
from realtime_helpers import Recorder, person, wait_until, write_people
from sqlalchemy import func, select

from conftest import add_agency
from plataforma.context import Platform
from plataforma.metrics import BUS_CONSUMER_ERRORS
from plataforma.records.service import RecordService
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.store.tables import outbox


def _setup(platform: Platform) -> None:
    add_agency(platform, "POL-GDL", "municipal", "police", "14")


def _unpublished(platform: Platform) -> int:
    with platform.engine.connect() as conn:
        query = select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
        return int(conn.scalar(query) or 0)


def test_a_committed_record_reaches_a_durable_consumer(on_bus: Platform) -> None:
    _setup(on_bus)
    recorder = Recorder()
    on_bus.start_realtime([("recorder", recorder)])
    written = time.monotonic()
    result = RecordService(on_bus).submit(LOCAL_ADMIN, "person", person("A-1"))
    recorder.wait_for(1)
    event = recorder.events[0]
    assert (event.record_id, event.record_type, event.agency) == (result.id, "person", "POL-GDL")
    assert event.subject == "plataforma.person.created" and event.version == 1
    assert event.marking == "SBU" or event.marking in {"PUBLIC", "SBU", "CONFIDENTIAL", "SECRET"}
    # Woken by the commit, not by the sweep.
    assert recorder.arrived[event.outbox_id] - written < 1.0
    wait_until(lambda: _unpublished(on_bus) == 0, what="the outbox to be marked published")


def test_events_arrive_in_order_and_once(on_bus: Platform) -> None:
    _setup(on_bus)
    recorder = Recorder()
    on_bus.start_realtime([("recorder", recorder)])
    write_people(on_bus, 30)
    recorder.wait_for(30)
    time.sleep(0.3)
    ids = [event.outbox_id for event in recorder.events]
    assert len(ids) == len(set(ids)) == 30
    assert ids == sorted(ids)


def test_a_consumer_resumes_where_it_stopped(on_bus: Platform) -> None:
    _setup(on_bus)
    first = Recorder()
    on_bus.start_realtime([("resumer", first)])
    write_people(on_bus, 5, "before")
    first.wait_for(5)
    time.sleep(0.5)  # the in-process bus saves its position at most every 0.2 s
    on_bus.stop_realtime()
    write_people(on_bus, 7, "while-down")  # nobody is running: they wait in the outbox
    second = Recorder()
    on_bus.start_realtime([("resumer", second)])
    second.wait_for(7)
    time.sleep(0.5)
    assert len(second.events) == 7
    assert not first.ids() & second.ids()


def test_a_failing_handler_is_retried_not_skipped(on_bus: Platform) -> None:
    _setup(on_bus)
    recorder = Recorder(fail_times=2)
    errors = BUS_CONSUMER_ERRORS.labels("flaky")._value.get()
    on_bus.start_realtime([("flaky", recorder)])
    write_people(on_bus, 3)
    recorder.wait_for(3)
    assert recorder.failures == 2
    assert BUS_CONSUMER_ERRORS.labels("flaky")._value.get() - errors == 2


def test_two_consumers_each_see_every_event(on_bus: Platform) -> None:
    _setup(on_bus)
    one, two = Recorder(), Recorder()
    on_bus.start_realtime([("one", one), ("two", two)])
    write_people(on_bus, 4)
    one.wait_for(4)
    two.wait_for(4)
    assert one.ids() == two.ids()


def test_signals_fan_out_to_matching_listeners(on_bus: Platform) -> None:
    on_bus.start_realtime()
    assert on_bus.bus is not None
    got: list[tuple[str, bytes]] = []
    arrived = threading.Event()

    def listener(subject: str, payload: bytes) -> None:
        got.append((subject, payload))
        arrived.set()

    stop = on_bus.bus.listen("inbox.user.*", listener)
    on_bus.bus.signal("inbox.agency.X", b"no")
    on_bus.bus.signal("inbox.user.ana", b"yes")
    assert arrived.wait(5)
    time.sleep(0.2)
    assert got == [("inbox.user.ana", b"yes")]
    stop()
    time.sleep(0.2)
    on_bus.bus.signal("inbox.user.ana", b"after")
    time.sleep(0.3)
    assert len(got) == 1


def test_rows_written_without_a_wake_are_found_by_the_sweep(on_bus: Platform) -> None:
    """A CLI import in another process wakes nobody here: the periodic sweep publishes it."""
    _setup(on_bus)
    recorder = Recorder()
    on_bus.start_realtime([("recorder", recorder)], wake_on_commit=False)
    write_people(on_bus, 3)
    recorder.wait_for(3, seconds=10)
    wait_until(lambda: _unpublished(on_bus) == 0, what="the outbox to be marked published")
