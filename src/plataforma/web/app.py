"""The FastAPI application: API under ``/api/v1``, UI under ``/ui``, health and metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from plataforma import __version__
from plataforma.context import Platform
from plataforma.web.metrics import install_metrics
from plataforma.web.problems import install_problem_handlers, problem
from plataforma.web.routers import admin, audit, auth, public, records, search

API_PREFIX = "/api/v1"


def create_app(platform: Platform | None = None) -> FastAPI:
    """Build the app; a platform may be passed in (tests), else it opens from settings."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not hasattr(app.state, "platform"):
            app.state.platform = Platform.open()
        app.state.platform.audit.start()
        yield
        app.state.platform.audit.stop()

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
    install_problem_handlers(app)
    install_metrics(app)
    _limit_body_size(app)

    api = APIRouter(prefix=API_PREFIX)
    for module in (auth, records, search, audit, admin, public):
        api.include_router(module.router)
    app.include_router(api)
    _install_ui(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok", "version": __version__})

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/ui/")

    return app


def _limit_body_size(app: FastAPI) -> None:
    @app.middleware("http")
    async def _limit(request: Request, call_next):  # type: ignore[no-untyped-def]
        limit = request.app.state.platform.settings.max_body_bytes
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > limit:
            return problem(413, "Payload too large", f"the body exceeds {limit} bytes")
        response: Response = await call_next(request)
        return response


def _install_ui(app: FastAPI) -> None:
    try:
        from plataforma.web.ui import install_ui
    except ImportError:  # the UI package is optional for API-only deployments
        return
    install_ui(app)
