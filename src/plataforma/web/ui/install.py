"""Wire the UI into the app: static files, page routers, session middleware, error pages."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from plataforma.web.ui import (
    routes_audit,
    routes_auth,
    routes_home,
    routes_incident,
    routes_records,
)
from plataforma.web.ui.session import (
    CSRF_COOKIE,
    CsrfFailed,
    LoginRequired,
    PageForbidden,
    new_csrf_token,
    set_cookie,
)
from plataforma.web.ui.templating import error_page, gettext

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"

# Everything the pages load comes from this server: no CDN, no inline script.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def install_ui(app: FastAPI) -> None:
    app.mount("/ui/static", StaticFiles(directory=STATIC_DIR), name="ui-static")
    pages = APIRouter(prefix="/ui", include_in_schema=False)
    for module in (routes_auth, routes_home, routes_records, routes_incident, routes_audit):
        pages.include_router(module.router)
    app.include_router(pages)
    _install_session_middleware(app)
    _install_error_pages(app)


def _install_session_middleware(app: FastAPI) -> None:
    @app.middleware("http")
    async def _ui_session(request: Request, call_next):  # type: ignore[no-untyped-def]
        if not request.url.path.startswith("/ui"):
            return await call_next(request)
        minted = None
        if not request.cookies.get(CSRF_COOKIE):
            minted = new_csrf_token()
            request.state.csrf = minted
        response: Response = await call_next(request)
        cookies = response.headers.getlist("set-cookie")
        if minted and not any(c.startswith(f"{CSRF_COOKIE}=") for c in cookies):
            set_cookie(request, response, CSRF_COOKIE, minted)
        response.headers.setdefault("Content-Security-Policy", _CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not request.url.path.startswith("/ui/static"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _: LoginRequired) -> Response:
        if request.headers.get("hx-request"):
            return Response(status_code=200, headers={"HX-Redirect": "/ui/login"})
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        return RedirectResponse(f"/ui/login?next={quote(target, safe='/')}", status_code=303)

    @app.exception_handler(PageForbidden)
    async def _forbidden(request: Request, error: PageForbidden) -> HTMLResponse:
        return error_page(
            request, 403, gettext(request, "Not allowed"), gettext(request, error.reason)
        )

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, _: CsrfFailed) -> HTMLResponse:
        message = gettext(request, "The form expired; reload the page and try again.")
        return error_page(request, 403, gettext(request, "Not allowed"), message)
