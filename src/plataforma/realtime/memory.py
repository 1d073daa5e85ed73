"""The in-process bus: the embedded default, for one server process.

Record events reach each durable consumer through a queue of its own, served by a thread of
its own, so a slow consumer delays nobody else. Durability comes from the outbox: a consumer
keeps its position (the last outbox id it handled) in ``bus_consumers``, and on start catches
up from the outbox past it before it takes live events. A handler that raises is retried with
a growing pause (the event is not skipped: nothing is lost), its failure logged and counted.

On SQLite, the one writer commits outbox ids in order, so the position is exact. On
PostgreSQL, concurrent transactions may commit ids out of order; live delivery is still
complete, and a restart can only miss an event that committed later than a higher id that
was handled, saved and followed by the restart within the same moment: deployments on
PostgreSQL with more than one process use NATS, whose consumers keep exact acknowledgements.

Signals go to every listener of this process, on one dispatcher thread.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from plataforma.metrics import BUS_CONSUMER_ERRORS, BUS_HANDLED, BUS_LISTENER_ERRORS
from plataforma.realtime import consumer_position
from plataforma.realtime.bus import Handler, Listener
from plataforma.realtime.events import RecordEvent
from plataforma.realtime.subjects import matches

log = logging.getLogger(__name__)

_MAX_PAUSE = 5.0


class MemoryBus:
    name = "memory"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._consumers: dict[str, _Consumer] = {}
        self._listeners: list[tuple[str, Listener]] = []
        self._lock = threading.Lock()
        self._signals: queue.SimpleQueue[tuple[str, bytes] | None] = queue.SimpleQueue()
        self._dispatcher: threading.Thread | None = None
        self._saver: threading.Thread | None = None
        self._closing = threading.Event()

    def start(self) -> None:
        self._closing.clear()
        self._dispatcher = threading.Thread(target=self._dispatch, name="bus-signals", daemon=True)
        self._dispatcher.start()
        self._saver = threading.Thread(
            target=self._save_positions, name="bus-positions", daemon=True
        )
        self._saver.start()
        for consumer in list(self._consumers.values()):
            consumer.start()

    def close(self) -> None:
        self._closing.set()
        if self._saver is not None:
            self._saver.join(timeout=10)
            self._saver = None
        for consumer in list(self._consumers.values()):
            consumer.stop()
        if self._dispatcher is not None:
            self._signals.put(None)
            self._dispatcher.join(timeout=5)
            self._dispatcher = None

    def publish(self, events: Sequence[RecordEvent]) -> None:
        for consumer in list(self._consumers.values()):
            consumer.offer(events)

    def consume(self, consumer: str, handler: Handler, subjects: str = "plataforma.>") -> None:
        if consumer in self._consumers:
            raise ValueError(f"consumer {consumer!r} is registered already")
        self._consumers[consumer] = _Consumer(self._engine, consumer, handler, subjects)
        if self._dispatcher is not None:  # registered after start: runs at once
            self._consumers[consumer].start()

    def signal(self, subject: str, payload: bytes) -> None:
        self._signals.put((subject, payload))

    def listen(self, subject: str, listener: Listener) -> Callable[[], None]:
        entry = (subject, listener)
        with self._lock:
            self._listeners.append(entry)

        def stop() -> None:
            with self._lock:
                if entry in self._listeners:
                    self._listeners.remove(entry)

        return stop

    def problems(self) -> dict[str, str]:
        """Consumers stuck on a failing event, by name; empty when all is well."""
        return {
            f"consumer {name}": consumer.problem
            for name, consumer in self._consumers.items()
            if consumer.problem
        }

    def _save_positions(self) -> None:
        while not self._closing.wait(timeout=consumer_position.SAVE_EVERY):
            for consumer in list(self._consumers.values()):
                consumer.save()

    def _dispatch(self) -> None:
        while (item := self._signals.get()) is not None:
            subject, payload = item
            with self._lock:
                listeners = [fn for pattern, fn in self._listeners if matches(pattern, subject)]
            for listener in listeners:
                try:
                    listener(subject, payload)
                except Exception:  # one listener's fault must not silence the others
                    log.exception("signal listener failed on %s", subject)
                    BUS_LISTENER_ERRORS.inc()


class _Consumer:
    """One durable consumer: its queue, its thread, its position."""

    def __init__(self, engine: Engine, name: str, handler: Handler, subjects: str) -> None:
        self._engine = engine
        self.name = name
        self._handler = handler
        self._subjects = subjects
        self._queue: deque[RecordEvent] = deque()
        self._wake = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.problem = ""
        #: The last outbox id handled, and the last one saved in ``bus_consumers``.
        self.position = 0
        self.saved = 0

    def start(self) -> None:
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name=f"bus-{self.name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.save()

    def offer(self, events: Sequence[RecordEvent]) -> None:
        wanted = [event for event in events if matches(self._subjects, event.subject)]
        if wanted:
            with self._wake:
                self._queue.extend(wanted)
                self._wake.notify()

    def _run(self) -> None:
        start = self._position()
        if start is None:
            return
        self.position = self.saved = start
        # Catch up from the outbox. Events published meanwhile are also in the live queue:
        # those the catch-up handled are skipped once, by id (ids, not a range: on PostgreSQL a
        # lower id can commit, and so be published, after a higher one).
        seen: set[int] = set()
        for event in consumer_position.published_after(self._engine, start):
            if not self._handle(event):
                return
            seen.add(event.outbox_id)
            self.position = max(self.position, event.outbox_id)
        while True:
            with self._wake:
                if not self._queue and not self._stopping:
                    self._wake.wait()
                if self._stopping:
                    break
                batch = list(self._queue)
                self._queue.clear()
            for event in batch:
                if event.outbox_id in seen:
                    continue
                if not self._handle(event):
                    break
                self.position = max(self.position, event.outbox_id)
            seen.clear()

    def save(self) -> None:
        """Record the position if it moved (the bus's saver thread, and a clean stop): never
        on the consumer's own thread, which would wait for the database's write lock."""
        position = self.position
        if position == self.saved:
            return
        try:
            consumer_position.save(self._engine, self.name, position)
            self.saved = position
        except SQLAlchemyError:
            # Not lost: the events past the saved position are handled again after a restart.
            log.warning("consumer %s could not save its position", self.name, exc_info=True)

    def _position(self) -> int | None:
        pause = 0.1
        while not self._stopping:
            try:
                return consumer_position.load(self._engine, self.name)
            except SQLAlchemyError as error:
                self.problem = f"cannot read its position: {error.__class__.__name__}"
                log.warning("consumer %s cannot read its position; retrying", self.name)
                time.sleep(pause)
                pause = min(pause * 2, _MAX_PAUSE)
        return None

    def _handle(self, event: RecordEvent) -> bool:
        """Handle ``event``, retrying until it succeeds; False if stopped meanwhile."""
        pause = 0.1
        while not self._stopping:
            try:
                self._handler(event)
            except Exception as error:  # retried, never skipped: logged and counted
                BUS_CONSUMER_ERRORS.labels(self.name).inc()
                self.problem = f"failing on outbox event {event.outbox_id}: {error!r}"[:300]
                log.warning(
                    "consumer %s failed on outbox event %d; retrying in %.1f s",
                    self.name,
                    event.outbox_id,
                    pause,
                    exc_info=True,
                )
                with self._wake:
                    self._wake.wait(timeout=pause)
                pause = min(pause * 2, _MAX_PAUSE)
                continue
            BUS_HANDLED.labels(self.name).inc()
            self.problem = ""
            return True
        return False
