"""``/metrics``: times every request and renders the counters of :mod:`plataforma.metrics`.

The counters themselves live in the neutral module so that domain code can count without
importing the web layer; this module only observes requests and serves the registry.
"""

from __future__ import annotations

import time

from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plataforma.metrics import AUDIT_DEGRADED, AUDIT_PENDING, LATENCY, REQUESTS


class RequestMetrics:
    """Counts and times every request by route template (plain ASGI: no per-request task)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_status)
        finally:
            path = getattr(scope.get("route"), "path", "unmatched")
            LATENCY.labels(scope["method"], path).observe(time.perf_counter() - start)
            REQUESTS.labels(scope["method"], path, str(status)).inc()


def install_metrics(app: FastAPI) -> None:
    app.add_middleware(RequestMetrics)

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        """The registry as Prometheus text; the audit gauges are refreshed on each scrape."""
        audit = app.state.platform.audit
        AUDIT_PENDING.set(audit.pending)
        AUDIT_DEGRADED.set(1 if audit.health.problems() else 0)
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
