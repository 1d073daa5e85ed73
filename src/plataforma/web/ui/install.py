"""Wire the UI into the app: static files, page routers, session middleware, error pages."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from plataforma.web.ui import (
    routes_audit,
    routes_auth,
    routes_confirmations,
    routes_home,
    routes_inbox,
    routes_incident,
    routes_inquiry,
    routes_messages,
    routes_persons,
    routes_records,
    routes_subscriptions,
    routes_trends,
)
from plataforma.web.ui.error_pages import install_error_pages
from plataforma.web.ui.session import (
    CSRF_COOKIE,
    CsrfFailed,
    LoginRequired,
    PageForbidden,
    new_csrf_token,
    set_cookie,
)
from plataforma.web.ui.templating import error_page, gettext, translate

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"

# Everything the pages load comes from this server: no CDN, no inline script.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_SECURITY_HEADERS = (
    ("Content-Security-Policy", _CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
)


def install_ui(app: FastAPI) -> None:
    app.mount("/ui/static", StaticFiles(directory=STATIC_DIR), name="ui-static")
    pages = APIRouter(prefix="/ui", include_in_schema=False)
    for module in (
        routes_auth,
        routes_home,
        routes_inquiry,
        routes_records,
        routes_incident,
        routes_audit,
        routes_subscriptions,
        routes_inbox,
        routes_trends,
    ):
        pages.include_router(module.router)
    for module in (routes_confirmations, routes_messages, routes_persons):
        pages.include_router(module.router)
    app.include_router(pages)
    _install_session_middleware(app)
    _install_error_pages(app)
    install_error_pages(app)


def _install_session_middleware(app: FastAPI) -> None:
    app.add_middleware(UiSessionHeaders)


class UiSessionHeaders:
    """Mint the CSRF cookie and set the security headers, on ``/ui`` pages only.

    Plain ASGI rather than ``@app.middleware``: Starlette's ``BaseHTTPMiddleware`` costs about
    a millisecond per request even on the API paths it passes straight through.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/ui"):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        minted = None
        if not request.cookies.get(CSRF_COOKIE):
            minted = new_csrf_token()
            scope.setdefault("state", {})["csrf"] = minted
        static = scope["path"].startswith("/ui/static")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                cookies = headers.getlist("set-cookie")
                if minted and not any(c.startswith(f"{CSRF_COOKIE}=") for c in cookies):
                    carrier = Response()
                    set_cookie(request, carrier, CSRF_COOKIE, minted)
                    headers.append("set-cookie", carrier.headers["set-cookie"])
                for name, value in _SECURITY_HEADERS:
                    headers.setdefault(name, value)
                if not static:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, with_headers)


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
            request, 403, gettext(request, "Not allowed"), translate(request, error.reason)
        )

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, _: CsrfFailed) -> HTMLResponse:
        message = gettext(request, "The form expired; reload the page and try again.")
        return error_page(request, 403, gettext(request, "Not allowed"), message)
