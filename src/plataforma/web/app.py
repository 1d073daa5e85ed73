"""The FastAPI application: API under ``/api/v1``, UI under ``/ui``, health and metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse

from plataforma import __version__
from plataforma.context import Platform
from plataforma.logs import configure_logging
from plataforma.security.audit import AuditUnavailable
from plataforma.web.limits import BodySizeLimit
from plataforma.web.metrics import install_metrics
from plataforma.web.problems import install_problem_handlers, problem
from plataforma.web.routers import (
    admin,
    audit,
    auth,
    confirmations,
    exports,
    inbox,
    inquiries,
    messages,
    persons,
    public,
    records,
    search,
    subscriptions,
    trends,
)
from plataforma.web.ui import install_ui

API_PREFIX = "/api/v1"


def create_app(platform: Platform | None = None) -> FastAPI:
    """Build the app; a platform may be passed in (tests), else it opens from settings."""
    configure_logging()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not hasattr(app.state, "platform"):
            app.state.platform = Platform.open()
        platform: Platform = app.state.platform
        platform.audit.start()
        started_here = platform.realtime is None
        if started_here:
            platform.start_realtime()
        yield
        if started_here:
            platform.stop_realtime()
        platform.audit.stop()

    app = FastAPI(
        title="plataforma",
        version=__version__,
        description="National criminal-information platform: unified records, inquiries, analysis.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    if platform is not None:
        app.state.platform = platform
    # Added first, so it is the innermost layer: the body is counted where the endpoint reads
    # it, not through the other middlewares' task groups (which would mask the 413).
    app.add_middleware(
        BodySizeLimit, limit=lambda scope: scope["app"].state.platform.settings.max_body_bytes
    )
    install_problem_handlers(app)

    @app.exception_handler(AuditUnavailable)
    async def _unaudited(_: Request, error: AuditUnavailable) -> JSONResponse:
        # Nothing is answered that is not on record: the caller may retry.
        reply = problem(503, "Audit unavailable", str(error))
        reply.headers["Retry-After"] = "1"
        return reply

    install_metrics(app)

    api = APIRouter(prefix=API_PREFIX)
    routers = [auth, records, search, inquiries, exports, audit, admin, public]
    routers += [inbox, confirmations, messages, subscriptions, persons, trends]
    for module in routers:
        api.include_router(module.router)
    app.include_router(api)
    install_ui(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        """``ok``, or 503 ``degraded`` naming each problem: audit (failed inserts, chaining),
        real time (broker unreachable, a consumer stuck, the outbox relay failing)."""
        platform: Platform = app.state.platform
        problems = platform.audit.health.problems()
        if platform.realtime is not None:
            problems.update(platform.realtime.problems())
        if problems:
            body = {"status": "degraded", "version": __version__, "problems": problems}
            return JSONResponse(body, status_code=503)
        return JSONResponse({"status": "ok", "version": __version__})

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/ui/")

    return app
