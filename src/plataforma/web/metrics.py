"""Prometheus counters and histograms: requests, latencies, imports, rejects, audit appends."""

from __future__ import annotations

import time

from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUESTS = Counter("plataforma_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "plataforma_http_request_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
IMPORTED = Counter(
    "plataforma_import_records_total", "Records imported", ["record_type", "outcome"]
)
REJECTED = Counter("plataforma_import_rejects_total", "Rows rejected by imports", ["record_type"])
AUDIT_APPENDS = Counter("plataforma_audit_appends_total", "Audit events chained")


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
        platform = app.state.platform
        appended = platform.audit.appended
        AUDIT_APPENDS.inc(max(0, appended - getattr(app.state, "audit_reported", 0)))
        app.state.audit_reported = appended
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
