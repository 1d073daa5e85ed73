"""Refuse request bodies over the configured size, whether or not they declare a length.

A ``Content-Length`` over the limit is answered at once; a chunked body is counted as it
arrives and the request fails with 413 as soon as it passes the limit, so an oversize upload
can never be buffered whole into memory.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plataforma.web.problems import problem


class BodyTooLarge(HTTPException):
    """An HTTP 413; FastAPI passes HTTP exceptions raised while reading a body through."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"Payload too large: the body exceeds {limit} bytes")


class BodySizeLimit:
    """ASGI middleware; ``limit`` is read per request so settings can differ per app."""

    def __init__(self, app: ASGIApp, limit: Callable[[Scope], int]) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope)
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            response = problem(413, "Payload too large", f"the body exceeds {limit} bytes")
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted, send)
