"""A reader's live inbox: new notifications pushed as they arrive (Server-Sent Events).

A stream listens for the bus's signals ``inbox.user.<me>`` and ``inbox.agency.<my agency>``
(from whichever process delivered the notification) and then reads what is new from the
table, so a lost signal only delays: the stream also looks every :data:`RECHECK` seconds.
What a connection holds is bounded whatever arrives: signals coalesce into one wake-up
flag, and each wake-up reads at most :data:`PAGE` rows at a time. A reader more than
:data:`MAX_BEHIND` notifications behind is told to ``resync`` (reload the listing) and the
stream jumps to the newest; a client that stops reading blocks only its own connection,
which the server drops after a send timeout. Reconnecting with ``Last-Event-ID`` resumes
after the last notification received.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

import orjson

from plataforma.inbox import reading
from plataforma.realtime.inbox import SIGNAL_PREFIX
from plataforma.security import policy
from plataforma.security.principal import Principal
from plataforma.security.services import PlatformServices

log = logging.getLogger(__name__)

PAGE = 100
MAX_BEHIND = 500
RECHECK = 15.0

#: One server-sent event: ``event``, ``data`` and, for notifications, ``id``.
Event = dict[str, str]


def parse_last_event_id(value: str | None) -> int | None:
    """The ``Last-Event-ID`` a reconnecting client sends; anything else starts afresh."""
    if value is None or not value.strip().isdigit() or len(value.strip()) > 19:
        return None
    return int(value.strip())


async def events(
    platform: PlatformServices, principal: Principal, last_event_id: int | None
) -> AsyncIterator[Event]:
    """The reader's stream: ``unread`` first, then ``notification`` and ``unread`` events."""
    recipients = policy.notification_recipients(principal)
    loop = asyncio.get_running_loop()
    wake = asyncio.Event()

    def on_signal(_subject: str, _payload: bytes) -> None:
        # RuntimeError: the connection's loop is gone; its stop comes next.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(wake.set)

    stops: list[Callable[[], None]] = []
    bus = platform.bus
    if bus is not None and recipients is not None:
        user, agency = recipients
        for subject in (f"{SIGNAL_PREFIX}.user.{user}", f"{SIGNAL_PREFIX}.agency.{agency}"):
            stops.append(await asyncio.to_thread(bus.listen, subject, on_signal))
    try:
        last = last_event_id
        if last is None:
            last = await asyncio.to_thread(reading.latest_id, platform, principal)
        unread = await asyncio.to_thread(reading.unread_count, platform, principal)
        yield {"event": "unread", "data": str(unread)}
        wake.set()  # a reconnecting client first gets what it missed
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), timeout=RECHECK)
            wake.clear()
            async for event, newest in _new(platform, principal, last):
                last = newest
                yield event
    finally:
        for stop in stops:
            stop()


async def _new(
    platform: PlatformServices, principal: Principal, last: int
) -> AsyncIterator[tuple[Event, int]]:
    """What arrived after ``last``, page by page, then the unread count; or a resync."""
    sent = 0
    unread = -1
    while True:
        items, count = await asyncio.to_thread(reading.since, platform, principal, last, PAGE)
        for item in items:
            last = item.id
            yield (
                {"event": "notification", "id": str(item.id), "data": _json(item.as_json())},
                last,
            )
        unread = count if items else unread
        sent += len(items)
        if len(items) < PAGE:
            break
        if sent >= MAX_BEHIND:
            newest = await asyncio.to_thread(reading.latest_id, platform, principal)
            log.info("inbox stream of %s fell behind; asked to resync", principal.username)
            yield {"event": "resync", "id": str(newest), "data": _json({"after": newest})}, newest
            return
    if unread >= 0:
        yield {"event": "unread", "data": str(unread)}, last


def _json(value: object) -> str:
    return orjson.dumps(value).decode()
