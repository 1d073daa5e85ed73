"""The NATS JetStream bus: events shared by every worker process, kept by the broker.

Record events go to one stream over ``<namespace>.>`` (file storage, kept seven days). Each
is published with the ``Nats-Msg-Id`` header set to its outbox id, so the broker drops the
second copy a relay may send after a crash or that two workers' relays may race to send.
Each durable consumer is a JetStream pull consumer of that name, shared by all processes:
an event is handled once per consumer name across workers, acknowledged explicitly after
its handler returns, and redelivered (after a pause that grows) when the handler raises or
the process dies before acknowledging. Signals are core NATS messages on
``<namespace>_signal.<subject>``, outside the stream: fan-out to every process, not kept.

nats-py is asynchronous: the bus runs its own event loop on its own thread and offers the
synchronous :class:`~plataforma.realtime.bus.Bus` interface on top. The client reconnects
by itself after an outage; until then :meth:`NatsBus.publish` raises
:class:`~plataforma.realtime.bus.BusUnavailable` at once (the events wait in the outbox) and
``/healthz`` names the broker.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, TypeVar

import nats
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    RetentionPolicy,
    StorageType,
    StreamConfig,
)

from plataforma.metrics import BUS_CONSUMER_ERRORS, BUS_HANDLED, BUS_LISTENER_ERRORS
from plataforma.realtime.bus import BusUnavailable, Handler, Listener
from plataforma.realtime.events import RecordEvent
from plataforma.realtime.subjects import RECORD_ROOT

log = logging.getLogger(__name__)

T = TypeVar("T")

PUBLISH_TIMEOUT = 2.0
FETCH_BATCH = 100
#: Longer than a round trip, or the broker's answer to the drain arrives after the fetch gave
#: up and confuses the next one (1 ms left the median at 1.6 s in one run of bench/notify.py);
#: short, because an event arriving while the drain lingers waits for it.
DRAIN_TIMEOUT = 0.02
#: A handler that takes longer than this has its event delivered again (handlers are quick
#: database writes; a redelivery is harmless, as they are idempotent).
ACK_WAIT = 10.0
_KEEP_SECONDS = 7 * 24 * 3600
_MAX_PAUSE = 5.0


class NatsBus:
    name = "nats"

    def __init__(self, url: str, namespace: str = RECORD_ROOT) -> None:
        self._servers = [
            part if part.startswith("nats://") else f"nats://{part}"
            for part in url.split(",")
            if part.strip()
        ]
        self._namespace = namespace
        self._stream = namespace.upper()
        self._consumers: dict[str, tuple[Handler, str]] = {}
        self._consumer_problems: dict[str, str] = {}
        self._listeners: dict[int, tuple[str, Listener, Any]] = {}
        self._next_listener = 0
        self._loop = asyncio.new_event_loop()
        self._thread: threading.Thread | None = None
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._closing = False
        self._reached = threading.Event()

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop.run_forever, name="bus-nats", daemon=True)
        self._thread.start()
        ready = asyncio.run_coroutine_threadsafe(self._connect(), self._loop)
        # Reachable: wait until the consumers are bound too (the relay starts next).
        # Unreachable: keep trying in the background; the server runs degraded meanwhile.
        if not self._reached.wait(timeout=5):
            log.warning("NATS at %s not reachable yet; retrying", ",".join(self._servers))
            return
        try:
            ready.result(timeout=30)
        except TimeoutError:
            log.warning("NATS consumers not bound yet; they keep trying")

    def close(self) -> None:
        if self._thread is None:
            return
        self._closing = True
        try:
            self._call(self._shutdown(), timeout=10)
        except (TimeoutError, BusUnavailable):
            log.warning("NATS bus did not close cleanly", exc_info=True)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._thread = None

    async def _connect(self) -> None:
        nc = Client()
        self._nc = nc
        await nc.connect(
            servers=self._servers,
            name=f"plataforma-{self._namespace}",
            allow_reconnect=True,
            max_reconnect_attempts=-1,  # also keeps trying the first connection
            reconnect_time_wait=1,
            connect_timeout=2,
            error_cb=self._on_error,
            disconnected_cb=self._on_disconnected,
            reconnected_cb=self._on_reconnected,
        )
        self._reached.set()
        self._js = nc.jetstream(timeout=PUBLISH_TIMEOUT)
        await self._ensure_stream()
        for key, (subject, listener, _) in list(self._listeners.items()):
            self._listeners[key] = (subject, listener, await self._subscribe(subject, listener))
        for consumer, (handler, subjects) in self._consumers.items():
            # Bound before start() returns: the relay starts next, and a new consumer (deliver
            # policy "new") would miss what was published before it existed.
            try:
                sub = await self._bind(consumer, subjects)
            except (nats.errors.Error, OSError):
                sub = None  # the consumer's loop binds it again
            self._tasks.append(asyncio.create_task(self._consume(consumer, handler, subjects, sub)))
        log.info("NATS bus connected to %s", nc.connected_url.netloc if nc.connected_url else "?")

    async def _shutdown(self) -> None:
        # Every task of this loop: the consumers, and a first connection still being tried.
        others = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)
        if self._nc is not None and not self._nc.is_closed:
            await self._nc.close()

    async def _ensure_stream(self) -> None:
        assert self._js is not None
        config = StreamConfig(
            name=self._stream,
            subjects=[f"{self._namespace}.>"],
            retention=RetentionPolicy.LIMITS,
            storage=StorageType.FILE,
            max_age=_KEEP_SECONDS,
            duplicate_window=120,
        )
        try:
            await self._js.stream_info(self._stream)
        except nats.js.errors.NotFoundError:
            await self._js.add_stream(config)

    async def _on_error(self, error: Exception) -> None:
        log.debug("NATS client error: %r", error)

    async def _on_disconnected(self) -> None:
        if not self._closing:
            log.warning("NATS disconnected; reconnecting")

    async def _on_reconnected(self) -> None:
        log.info("NATS reconnected")

    # -- record events -----------------------------------------------------------------------

    def publish(self, events: Sequence[RecordEvent]) -> None:
        if not events:
            return
        if self._nc is None or not self._nc.is_connected or self._js is None:
            raise BusUnavailable(f"not connected to {','.join(self._servers)}")
        try:
            self._call(self._publish(events), timeout=PUBLISH_TIMEOUT + 1)
        except (TimeoutError, nats.errors.Error, OSError) as error:
            raise BusUnavailable(repr(error)) from error

    async def _publish(self, events: Sequence[RecordEvent]) -> None:
        assert self._js is not None
        js = self._js
        try:
            await asyncio.gather(*(self._publish_one(js, event) for event in events))
        except nats.js.errors.NoStreamResponseError:
            await self._ensure_stream()  # the broker lost it (storage wiped): make it again
            await asyncio.gather(*(self._publish_one(js, event) for event in events))

    async def _publish_one(self, js: JetStreamContext, event: RecordEvent) -> None:
        await js.publish(
            self._wire(event.subject),
            event.to_bytes(),
            headers={"Nats-Msg-Id": str(event.outbox_id)},
        )

    def consume(self, consumer: str, handler: Handler, subjects: str = "plataforma.>") -> None:
        if consumer in self._consumers:
            raise ValueError(f"consumer {consumer!r} is registered already")
        self._consumers[consumer] = (handler, subjects)
        if self._js is not None:  # registered after start
            self._loop.call_soon_threadsafe(
                lambda: self._tasks.append(
                    asyncio.create_task(self._consume(consumer, handler, subjects))
                )
            )

    async def _bind(self, consumer: str, subjects: str) -> Any:
        """The pull subscription of durable consumer ``consumer`` (created if new: it then
        sees the events published from now on)."""
        assert self._js is not None
        durable = "".join(c if c.isalnum() or c in "-_" else "_" for c in consumer)
        config = ConsumerConfig(
            durable_name=durable,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=ACK_WAIT,
            max_deliver=-1,
            deliver_policy=DeliverPolicy.NEW,
            max_ack_pending=1000,
        )
        await self._ensure_stream()
        return await self._js.pull_subscribe(
            self._wire(subjects), durable=durable, stream=self._stream, config=config
        )

    async def _consume(
        self, consumer: str, handler: Handler, subjects: str, sub: Any = None
    ) -> None:
        """Fetch, handle, acknowledge; on any broker trouble, bind again after a pause."""
        pause = 0.1
        while not self._closing:
            try:
                if sub is None:
                    sub = await self._bind(consumer, subjects)
                self._consumer_problems.pop(consumer, None)
                waiting = True
                while not self._closing:
                    try:
                        messages = await self._fetch(sub, waiting)
                    except TimeoutError:  # nothing new within the poll (nats' is a subclass)
                        continue
                    if messages:
                        await self._handle(consumer, handler, messages)
                    waiting = not messages  # drain while there is work, then wait again
                    pause = 0.1
            except asyncio.CancelledError:
                raise
            except (nats.errors.Error, OSError) as error:
                sub = None
                self._consumer_problems[consumer] = f"cannot fetch: {error!r}"[:300]
                log.warning("consumer %s: %r; binding again in %.1f s", consumer, error, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, _MAX_PAUSE)

    @staticmethod
    async def _fetch(sub: Any, waiting: bool) -> list[Msg]:
        """The next events: ``waiting``, block for up to a second for the first one; else
        take only what is already there (returns at once, maybe with nothing).

        One fetch of a batch waits, once its first message arrived, for the batch to fill
        or its timeout to pass (nats-py's long poll): at low traffic each event would wait
        up to the timeout. Waiting for one (returned as it arrives), handling it, then
        draining what queued meanwhile keeps the delay to the round trips.
        """
        if waiting:
            batch: list[Msg] = await sub.fetch(batch=1, timeout=1)
            return batch
        try:
            drained: list[Msg] = await sub.fetch(batch=FETCH_BATCH, timeout=DRAIN_TIMEOUT)
        except TimeoutError:
            return []
        return drained

    async def _handle(self, consumer: str, handler: Handler, messages: list[Msg]) -> None:
        """Run the handler on a worker thread for the whole batch (one hand-over of the GIL
        each way instead of two per event, which a busy writer thread made cost up to the
        interpreter's 5 ms switch interval each), then acknowledge each event it handled."""
        events = [RecordEvent.from_bytes(message.data) for message in messages]
        outcomes = await asyncio.to_thread(_run_all, handler, events)
        for message, event, error in zip(messages, events, outcomes, strict=True):
            if error is None:
                await message.ack()
                BUS_HANDLED.labels(consumer).inc()
                self._consumer_problems.pop(consumer, None)
                continue
            # Redelivered later: logged and counted, never dropped.
            BUS_CONSUMER_ERRORS.labels(consumer).inc()
            attempts = message.metadata.num_delivered if message.metadata else 1
            self._consumer_problems[consumer] = (
                f"failing on outbox event {event.outbox_id}: {error!r}"[:300]
            )
            log.warning(
                "consumer %s failed on outbox event %d (attempt %d)",
                consumer,
                event.outbox_id,
                attempts,
                exc_info=error,
            )
            await message.nak(delay=min(0.1 * 2 ** min(attempts or 1, 6), _MAX_PAUSE))

    # -- signals -----------------------------------------------------------------------------

    def signal(self, subject: str, payload: bytes) -> None:
        nc = self._nc
        if nc is None or self._closing:
            return

        async def send() -> None:
            try:
                await nc.publish(f"{self._namespace}_signal.{subject}", payload)
            except (nats.errors.Error, OSError) as error:  # best effort by contract
                log.debug("signal %s not sent: %r", subject, error)

        self._loop.call_soon_threadsafe(lambda: self._loop.create_task(send()))

    def listen(self, subject: str, listener: Listener) -> Callable[[], None]:
        key = self._next_listener
        self._next_listener += 1

        async def add() -> None:
            subscription = None
            if self._nc is not None and self._nc.is_connected:
                subscription = await self._subscribe(subject, listener)
            self._listeners[key] = (subject, listener, subscription)

        async def remove() -> None:
            entry = self._listeners.pop(key, None)
            if entry is not None and entry[2] is not None:
                try:
                    await entry[2].unsubscribe()
                except (nats.errors.Error, OSError):
                    log.debug("unsubscribe from %s failed", subject)

        self._call(add(), timeout=5)

        def stop() -> None:
            if self._thread is not None:
                asyncio.run_coroutine_threadsafe(remove(), self._loop)

        return stop

    async def _subscribe(self, subject: str, listener: Listener) -> Any:
        assert self._nc is not None
        prefix = len(self._namespace) + len("_signal.")

        async def deliver(message: Msg) -> None:
            try:
                listener(message.subject[prefix:], message.data)
            except Exception:  # one listener's fault must not silence the others
                log.exception("signal listener failed on %s", message.subject)
                BUS_LISTENER_ERRORS.inc()

        return await self._nc.subscribe(f"{self._namespace}_signal.{subject}", cb=deliver)

    # -- health and plumbing -----------------------------------------------------------------

    def problems(self) -> dict[str, str]:
        found = {f"consumer {name}": text for name, text in self._consumer_problems.items()}
        if self._nc is None or not self._nc.is_connected:
            found["broker"] = f"NATS unreachable at {','.join(self._servers)}"
        return found

    def _wire(self, subject: str) -> str:
        """``plataforma.person.created`` as this namespace's subject."""
        if subject == RECORD_ROOT or subject.startswith(RECORD_ROOT + "."):
            return self._namespace + subject[len(RECORD_ROOT) :]
        return f"{self._namespace}.{subject}"

    def _call(self, coroutine: Coroutine[Any, Any, T], timeout: float) -> T:
        if self._thread is None:
            raise BusUnavailable("the NATS bus is not started")
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout=timeout)
        except TimeoutError:
            future.cancel()
            raise


def _run_all(handler: Handler, events: list[RecordEvent]) -> list[Exception | None]:
    """Each event's outcome: None when handled, else the exception its handler raised."""
    outcomes: list[Exception | None] = []
    for event in events:
        try:
            handler(event)
        except Exception as error:  # reported per event by the caller, which redelivers it
            outcomes.append(error)
        else:
            outcomes.append(None)
    return outcomes
