"""Prometheus counters and histograms: requests, latencies, imports, rejects, audit appends."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

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


def install_metrics(app: FastAPI) -> None:
    @app.middleware("http")
    async def _measure(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        start = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        LATENCY.labels(request.method, path).observe(time.perf_counter() - start)
        REQUESTS.labels(request.method, path, str(response.status_code)).inc()
        return response

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        platform = app.state.platform
        appended = platform.audit.appended
        AUDIT_APPENDS.inc(max(0, appended - getattr(app.state, "audit_reported", 0)))
        app.state.audit_reported = appended
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
