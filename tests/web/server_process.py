"""Waiting for a real server process the kill tests start, in one place."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

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


@contextmanager
def threaded_server(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn on a free port in a thread of this process; yields its URL.

    Stopped as a real shutdown is (``handle_exit``), so open Server-Sent Event streams end
    too; sse-starlette's exit flag is per process and is put back for the next server.
    """
    import signal
    import socket
    import threading

    import uvicorn
    from sse_starlette.sse import AppStatus

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.handle_exit(signal.SIGTERM, None)
        thread.join(timeout=10)
        AppStatus.should_exit = False
