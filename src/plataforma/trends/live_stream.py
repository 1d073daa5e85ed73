"""A dashboard's live feed: "the counts changed", pushed as Server-Sent Events.

The trends consumer signals ``trends.counts`` on the bus after each incident that changed the
live counts (in whichever process it ran). A stream listens for that signal and sends a
``counts`` event, at most one every :data:`MIN_INTERVAL` seconds however many incidents
arrive (a bulk import of 100,000 incidents is a handful of events, not 100,000), and the page
reads the counts again through the API, under its own policy check. The event carries no
content: only that something changed. The pattern is the inbox stream's (`inbox/stream.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

from plataforma.security.services import PlatformServices
from plataforma.trends.aggregator import COUNTS_SIGNAL

__all__ = ["MIN_INTERVAL", "count_events"]

MIN_INTERVAL = 1.0
#: An idle stream still sends a comment-free heartbeat event this often (proxies drop
#: connections that stay silent).
HEARTBEAT = 25.0


async def count_events(platform: PlatformServices) -> AsyncIterator[dict[str, str]]:
    """``ready`` at once, then ``counts`` (a running number) whenever the counts changed."""
    loop = asyncio.get_running_loop()
    wake = asyncio.Event()

    def on_signal(_subject: str, _payload: bytes) -> None:
        with contextlib.suppress(RuntimeError):  # the connection's loop is gone
            loop.call_soon_threadsafe(wake.set)

    stops: list[Callable[[], None]] = []
    if platform.bus is not None:
        stops.append(await asyncio.to_thread(platform.bus.listen, COUNTS_SIGNAL, on_signal))
    try:
        yield {"event": "ready", "data": "0"}
        sent = 0
        while True:
            try:
                await asyncio.wait_for(wake.wait(), timeout=HEARTBEAT)
            except TimeoutError:
                yield {"event": "heartbeat", "data": str(sent)}
                continue
            wake.clear()
            sent += 1
            yield {"event": "counts", "data": str(sent)}
            await asyncio.sleep(MIN_INTERVAL)  # signals meanwhile coalesce into one wake-up
    finally:
        for stop in stops:
            stop()
