"""Recently verified API keys, so an agency system's every request does not query the key table.

An agency system sends its key on every request; looking it up each time was a database round
trip and a thread hop per write. The cache keeps a verified key for at most ``max_age`` seconds
and drops everything as soon as any key is revoked: every ``check_every`` seconds one request
reads a revocation stamp (how many keys are revoked, and the latest time), so a revocation made
by another server process or by the CLI takes effect within that interval. A revocation in the
same process clears the cache at once.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import Connection, func, select

from plataforma.security.identity import ApiKey
from plataforma.store.tables import api_keys

_STAMP = select(func.count(), func.max(api_keys.c.revoked_at)).where(
    api_keys.c.revoked_at.is_not(None)
)


class ApiKeyCache:
    """Verified keys by digest; trusted only while the revocation stamp is fresh."""

    def __init__(self, check_every: float = 0.5, max_age: float = 60.0) -> None:
        self.check_every = check_every
        self.max_age = max_age
        self._keys: dict[str, tuple[float, ApiKey]] = {}
        self._stamp: tuple[Any, ...] | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.max_age > 0

    def fresh(self) -> bool:
        """Whether the revocation stamp was read recently enough to answer without I/O."""
        return self.enabled and time.monotonic() - self._checked_at < self.check_every

    def get(self, digest: str) -> ApiKey | None:
        """The key for ``digest`` if verified recently and nothing was revoked since."""
        if not self.fresh():
            return None
        hit = self._keys.get(digest)
        if hit is None or time.monotonic() - hit[0] > self.max_age:
            return None
        return hit[1]

    def put(self, digest: str, key: ApiKey) -> None:
        if self.enabled:
            self._keys[digest] = (time.monotonic(), key)

    def refresh(self, conn: Connection) -> None:
        """Read the revocation stamp if it is stale; forget every key if it changed."""
        if not self.enabled or self.fresh():
            return
        with self._lock:
            if self.fresh():
                return
            stamp = tuple(conn.execute(_STAMP).one())
            if stamp != self._stamp:
                self._keys.clear()
                self._stamp = stamp
            self._checked_at = time.monotonic()

    def clear(self) -> None:
        self._keys.clear()
        self._checked_at = float("-inf")
