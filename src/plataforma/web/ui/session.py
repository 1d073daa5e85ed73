"""The UI session: the token cookie, who is logged in, and protection against forged posts.

The session token lives in an HttpOnly, SameSite=Strict cookie that the API's
``current_principal`` also accepts. Forms and HTMX requests additionally carry a CSRF token
(double submit: a random cookie the page repeats in a field or the ``X-CSRF-Token`` header).
SameSite=Strict already stops cross-site posts in current browsers; the token covers older
ones and same-site subdomains. The CSRF cookie is replaced at login, so it is per session.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request
from starlette.responses import Response

from plataforma.security.authn import AuthError, authenticate
from plataforma.security.principal import Principal, Role
from plataforma.web.ui.display import N_

TOKEN_COOKIE = "plataforma_token"
CSRF_COOKIE = "plataforma_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class LoginRequired(Exception):
    """The page needs a logged-in user; the UI answers with a redirect to the login form."""


class PageForbidden(Exception):
    """The user's roles do not open this page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CsrfFailed(Exception):
    """A post arrived without the page's CSRF token."""


def optional_principal(request: Request) -> Principal | None:
    token = request.cookies.get(TOKEN_COOKIE)
    if not token:
        return None
    source_ip = request.client.host if request.client else None
    try:
        return authenticate(request.app.state.platform, None, None, token, source_ip)
    except AuthError:
        return None


def ui_principal(request: Request) -> Principal:
    principal = optional_principal(request)
    if principal is None:
        raise LoginRequired()
    return principal


UiPrincipal = Annotated[Principal, Depends(ui_principal)]


def require_role(principal: Principal, *roles: Role) -> None:
    if not principal.has(*roles):
        raise PageForbidden(N_("Your roles do not open this page."))


def csrf_token(request: Request) -> str:
    """The token pages repeat; minted by the middleware when the browser has none yet."""
    token: str = getattr(request.state, "csrf", "") or request.cookies.get(CSRF_COOKIE, "")
    return token


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)


async def verify_csrf(request: Request) -> None:
    """Dependency for every state-changing UI request."""
    expected = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        form = await request.form()
        field = form.get(CSRF_FIELD, "")
        sent = field if isinstance(field, str) else ""
    if not expected or not secrets.compare_digest(expected, sent):
        raise CsrfFailed()


CsrfChecked = Depends(verify_csrf)


def set_cookie(request: Request, response: Response, name: str, value: str, **extra: int) -> None:
    """Cookies the UI sets are HttpOnly and SameSite=Strict; Secure when served over HTTPS."""
    response.set_cookie(
        name,
        value,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
        **extra,  # type: ignore[arg-type]
    )
