"""Waiting for a real server process the kill tests start, in one place."""

from __future__ import annotations

import subprocess
import time

import httpx


def wait_until_up(url: str, server: subprocess.Popen[bytes], seconds: float = 90) -> None:
    """Return once ``/healthz`` answers 200; generous, as a loaded 2-core machine imports slowly."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError("server did not start")
