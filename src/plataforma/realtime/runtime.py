"""What runs in the background of a server process for real time: bus, consumers, relay, jobs.

Built from the settings (``PLATAFORMA_BUS_URL``), started and stopped by the app's lifespan
(and by tests, through :meth:`plataforma.context.Platform.start_realtime`). The consumers and
periodic jobs are handed in by the composition root (``plataforma.consumers``), so this
package imports no capability that reacts to events.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from sqlalchemy import Engine

from plataforma.metrics import BUS_DEGRADED, JOB_RUNS
from plataforma.realtime.bus import Bus, Handler
from plataforma.realtime.memory import MemoryBus
from plataforma.realtime.relay import OutboxRelay
from plataforma.settings import Settings

log = logging.getLogger(__name__)

#: A job bound to its platform: name, interval in seconds, the call (returns a count).
BoundJob = tuple[str, float, Callable[[], int]]


def open_bus(settings: Settings, engine: Engine) -> Bus:
    """The bus ``PLATAFORMA_BUS_URL`` names (not started)."""
    if settings.bus_url.startswith("nats://"):
        from plataforma.realtime.nats import NatsBus

        return NatsBus(settings.bus_url, settings.bus_namespace)
    return MemoryBus(engine)


class RealtimeRuntime:
    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        consumers: Sequence[tuple[str, Handler]] = (),
        jobs: Sequence[BoundJob] = (),
        *,
        bus: Bus | None = None,
        wake_on_commit: bool = True,
    ) -> None:
        self.bus = bus or open_bus(settings, engine)
        for name, handler in consumers:
            self.bus.consume(name, handler)
        self.relay = OutboxRelay(
            engine, self.bus, settings.relay_sweep_seconds, wake_on_commit=wake_on_commit
        )
        self._jobs = list(jobs)
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._job_problems: dict[str, str] = {}

    def start(self) -> None:
        self.bus.start()
        self.relay.start()
        self._stopping.clear()
        for job in self._jobs:
            thread = threading.Thread(
                target=self._every, args=job, name=f"job-{job[0]}", daemon=True
            )
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=10)
        self._threads.clear()
        self.relay.stop()
        self.bus.close()

    def problems(self) -> dict[str, str]:
        """What is wrong with real time now (for ``/healthz``); empty when all is well."""
        found: dict[str, str] = {}
        found.update({f"bus {key}": value for key, value in self.bus.problems().items()})
        if self.relay.problem:
            found["outbox relay"] = self.relay.problem
        found.update({f"job {name}": value for name, value in self._job_problems.items()})
        BUS_DEGRADED.set(1 if found else 0)
        return found

    def _every(self, name: str, seconds: float, run: Callable[[], int]) -> None:
        while not self._stopping.wait(timeout=seconds):
            try:
                count = run()
            except Exception as error:  # the next tick retries; logged and counted
                JOB_RUNS.labels(name, "failed").inc()
                self._job_problems[name] = repr(error)[:300]
                log.warning("periodic job %s failed", name, exc_info=True)
                continue
            JOB_RUNS.labels(name, "ok").inc()
            self._job_problems.pop(name, None)
            if count:
                log.info("periodic job %s handled %d", name, count)
