"""``/api/v1/public``: what anyone may ask without logging in — the RND detention lookup.

No login, so abuse is limited another way: each client address gets a small number of
lookups per minute (in process; behind several workers the proxy should limit too), and
every lookup is audited (by :func:`plataforma.records.public_lookup.lookup`) with actor
``public`` so that "who asked about this person" still has an answer.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel

from plataforma.records.errors import FieldError, InvalidRecord
from plataforma.records.public_lookup import LookupQueryError, lookup
from plataforma.web.deps import PlatformDep

router = APIRouter(prefix="/public", tags=["public"])

LOOKUPS_PER_MINUTE = 30


class RateLimiter:
    """A sliding one-minute window of request times per client address."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int:
        """0 when ``client`` may proceed (and counts the request), else seconds to wait."""
        now = time.monotonic()
        with self._lock:
            times = self._seen.setdefault(client, deque())
            while times and now - times[0] >= 60.0:
                times.popleft()
            if len(times) >= self.per_minute:
                return max(1, int(60.0 - (now - times[0])) + 1)
            times.append(now)
            if len(self._seen) > 10_000:  # forget idle addresses so memory stays bounded
                self._seen = {k: v for k, v in self._seen.items() if v}
            return 0


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def rate_limited(request: Request) -> str:
    """The client address, once it is within its allowance; 429 otherwise."""
    limiter = getattr(request.app.state, "public_limiter", None)
    if limiter is None:
        limiter = request.app.state.public_limiter = RateLimiter(LOOKUPS_PER_MINUTE)
    client = _client(request)
    wait = limiter.retry_after(client)
    if wait:
        raise HTTPException(
            429,
            f"too many lookups: {limiter.per_minute} per minute",
            headers={"Retry-After": str(wait)},
        )
    return client


class DetentionNotice(BaseModel):
    detained_at: datetime
    state: str | None
    state_name: str | None
    receiving_authority: str


class LookupReply(BaseModel):
    registered: bool
    detentions: list[DetentionNotice]


Name = Annotated[str | None, Query(max_length=100)]


@router.get("/detentions", response_model=LookupReply)
def lookup_detentions(
    platform: PlatformDep,
    client: Annotated[str, Depends(rate_limited)],
    curp: Annotated[str | None, Query(max_length=18)] = None,
    name: Name = None,
    first_surname: Name = None,
    second_surname: Name = None,
) -> LookupReply:
    """Whether a person is registered as detained, when, in which state, and who holds them.

    Ask by ``curp``, or by ``name`` and ``first_surname`` (``second_surname`` narrows it).
    """
    try:
        found = lookup(platform, client, curp, name, first_surname, second_surname)
    except LookupQueryError as error:
        field, _, detail = str(error).partition(": ")
        raise InvalidRecord([FieldError(f"query:{field}", detail)]) from None
    return LookupReply(
        registered=bool(found),
        detentions=[
            DetentionNotice(
                detained_at=d.detained_at,
                state=d.state,
                state_name=d.state_name,
                receiving_authority=d.receiving_authority,
            )
            for d in found
        ],
    )
