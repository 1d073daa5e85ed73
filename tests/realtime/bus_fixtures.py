"""Fixtures for the real-time tests, imported by the modules that use them: every bus.

``PLATAFORMA_TEST_NATS_URL`` names a shared NATS server: each test gets a namespace (stream
and subjects) of its own, deleted afterwards, so parallel sessions never see each other.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator

import nats
import pytest

from plataforma.context import Platform

BUSES = ["memory", "nats"]
NATS_URL = os.environ.get("PLATAFORMA_TEST_NATS_URL")


def fresh_namespace() -> str:
    return f"t{uuid.uuid4().hex[:12]}"


def drop_stream(url: str, namespace: str) -> None:
    async def drop() -> None:
        nc = await nats.connect(url, connect_timeout=2, max_reconnect_attempts=1)
        try:
            await nc.jetstream().delete_stream(namespace.upper())
        except nats.js.errors.NotFoundError:
            pass
        finally:
            await nc.close()

    asyncio.run(drop())


# Named apart from their functions, so a test module imports the function and its tests ask
# for the fixture by name without shadowing the import (a second conftest.py would shadow the
# root one's module name instead).
@pytest.fixture(params=BUSES, name="bus_url")
def bus_url_fixture(request: pytest.FixtureRequest) -> str:
    if request.param == "nats":
        if not NATS_URL:
            pytest.skip("NATS not configured: set PLATAFORMA_TEST_NATS_URL to run this")
        return NATS_URL
    return "memory://"


@pytest.fixture(name="on_bus")
def on_bus_fixture(platform: Platform, bus_url: str) -> Iterator[Platform]:
    """``platform`` configured for the bus under test (started by the test)."""
    platform.settings.bus_url = bus_url
    platform.settings.bus_namespace = fresh_namespace()
    platform.settings.relay_sweep_seconds = 0.2
    yield platform
    platform.stop_realtime()
    if bus_url.startswith("nats://"):
        drop_stream(bus_url, platform.settings.bus_namespace)
