"""Reading Server-Sent Events from a real server in the tests (httpx, a thread per stream)."""

from __future__ import annotations

import json
import queue
import threading
from typing import Any

import httpx


class SseStream:
    """Opens ``url`` and collects its events on a thread; ``next(kind)`` waits for one."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.events: queue.Queue[tuple[str, str | None, str]] = queue.Queue()
        self.status = 0
        self._client = httpx.Client(timeout=httpx.Timeout(5, read=None))
        self._opened = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(url, headers), daemon=True)
        self._thread.start()
        assert self._opened.wait(10), "stream did not open"

    def _read(self, url: str, headers: dict[str, str]) -> None:
        try:
            with self._client.stream("GET", url, headers=headers) as reply:
                self.status = reply.status_code
                self._opened.set()
                event, ident, data = "message", None, []
                for line in reply.iter_lines():
                    if line.startswith(":"):
                        continue
                    if not line:
                        if data:
                            self.events.put((event, ident, "\n".join(data)))
                        event, ident, data = "message", None, []
                    elif line.startswith("event:"):
                        event = line[6:].strip()
                    elif line.startswith("id:"):
                        ident = line[3:].strip()
                    elif line.startswith("data:"):
                        data.append(line[5:].strip())
        except httpx.HTTPError:
            pass
        finally:
            self._opened.set()

    def next(self, kind: str, seconds: float = 10) -> tuple[str | None, Any]:
        """The next event of ``kind`` (others are skipped): its id and decoded data."""
        while True:
            event, ident, data = self.events.get(timeout=seconds)
            if event == kind:
                return ident, json.loads(data)

    def drain(self) -> list[tuple[str, str | None, str]]:
        found = []
        while not self.events.empty():
            found.append(self.events.get_nowait())
        return found

    def close(self) -> None:
        self._client.close()
