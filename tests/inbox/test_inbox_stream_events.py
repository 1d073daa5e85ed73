"""The stream's bounds: a reader far behind is told to resync instead of being sent it all."""

from __future__ import annotations

import asyncio

from conftest import add_agency, add_user
from plataforma.context import Platform
from plataforma.inbox import stream
from plataforma.model.envelope import Marking
from plataforma.realtime.inbox import Notification, NotificationKind, deliver
from plataforma.security.principal import Principal, Role


def test_a_reader_far_behind_gets_a_page_bound_then_resync(platform: Platform) -> None:
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    add_user(platform, "ana", "POL-GDL", ["officer"], Marking.SBU)
    ana = Principal("ana", "POL-GDL", frozenset({Role.OFFICER}), Marking.SBU)
    total = stream.MAX_BEHIND + 2 * stream.PAGE
    items = [
        Notification(NotificationKind.MESSAGE, f"m{i}", recipient_user="ana") for i in range(total)
    ]
    deliver(platform.engine, None, items)

    async def collect() -> list[dict[str, str]]:
        got: list[dict[str, str]] = []
        events = stream.events(platform, ana, last_event_id=0)
        async for event in events:
            got.append(event)
            if event["event"] == "resync":
                break
        await events.aclose()
        return got

    got = asyncio.run(collect())
    assert got[0] == {"event": "unread", "data": str(total)}
    pushed = [e for e in got if e["event"] == "notification"]
    assert len(pushed) == stream.MAX_BEHIND
    assert (
        got[-1]["event"] == "resync"
        and int(got[-1]["id"]) == int(pushed[-1]["id"]) + 2 * stream.PAGE
    )


def test_last_event_id_is_read_strictly() -> None:
    assert stream.parse_last_event_id(" 42 ") == 42
    for bad in (None, "", "abc", "-1", "9" * 30):
        assert stream.parse_last_event_id(bad) is None
