"""The bus: one small interface, one class per engine (in-process, NATS JetStream).

Two kinds of traffic:

* **record events** (:meth:`Bus.publish` / :meth:`Bus.consume`): durable and at least once.
  Each named consumer sees every event once per consumer name across all processes (a work
  queue shared by the API workers), resumes after a restart where it stopped, and must be
  idempotent (the outbox id is the event's identity). Subjects are
  ``plataforma.<record_type>.<event>``.
* **signals** (:meth:`Bus.signal` / :meth:`Bus.listen`): best-effort fan-out to every
  process, for waking what is waiting (a user's open notification stream). Nothing depends
  on a signal arriving: the state it announces is in the database.

The interface is synchronous and thread-safe; an engine that is asynchronous inside (NATS)
runs its own loop on its own thread. Handlers run on the bus's threads, never on the
caller's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from plataforma.realtime.events import RecordEvent

#: Handles one record event; idempotent, since delivery is at least once. Raising leaves
#: the event unacknowledged (it is delivered again later); the failure is logged and counted.
Handler = Callable[[RecordEvent], None]
#: Receives one signal: its subject and payload.
Listener = Callable[[str, bytes], None]


class BusUnavailable(Exception):
    """The broker did not acknowledge: the outbox keeps the events for a later attempt."""


class Bus(Protocol):
    #: ``memory`` or ``nats``, for health, metrics and messages.
    name: str

    def start(self) -> None:
        """Connect and start the registered consumers."""

    def close(self) -> None:
        """Stop consumers and disconnect; events not acknowledged are delivered again later."""

    def publish(self, events: Sequence[RecordEvent]) -> None:
        """Hand ``events`` to the broker; returns once it has them (else BusUnavailable)."""

    def consume(self, consumer: str, handler: Handler, subjects: str = "plataforma.>") -> None:
        """Register the durable consumer ``consumer`` (before :meth:`start`)."""

    def signal(self, subject: str, payload: bytes) -> None:
        """Best-effort fan-out of ``payload`` to every process listening on ``subject``."""

    def listen(self, subject: str, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` for each signal on ``subject`` (NATS wildcards); returns a stop.

        ``listener`` runs on the bus's thread: it must return at once (hand work elsewhere).
        """

    def problems(self) -> dict[str, str]:
        """What is wrong now (broker unreachable, a consumer stuck), for ``/healthz``."""
