"""Log in with password and TOTP, log out, and switch language."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from plataforma.security.authn import AuthError, login, logout
from plataforma.web.ui.display import N_
from plataforma.web.ui.session import (
    CSRF_COOKIE,
    TOKEN_COOKIE,
    CsrfChecked,
    UiPrincipal,
    new_csrf_token,
    optional_principal,
    set_cookie,
)
from plataforma.web.ui.templating import gettext, render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only redirect inside the UI: an open redirect would help phishing."""
    if target and target.startswith("/ui/") and not target.startswith("//"):
        return target
    return "/ui/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> Response:
    if optional_principal(request) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", {"next": _safe_next(next)})


@router.post("/login", response_class=HTMLResponse, dependencies=[CsrfChecked])
def login_submit(
    request: Request,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    totp: Annotated[str, Form(max_length=8)],
    next: Annotated[str, Form(max_length=500)] = "/ui/",
) -> Response:
    """A failure never says which factor was wrong; a locked account says so."""
    source_ip = request.client.host if request.client else None
    try:
        result = login(request.app.state.platform, username, password, totp.strip(), source_ip)
    except AuthError as error:
        locked = str(error).startswith("account locked")
        message = (
            N_("This account is locked after repeated failures; try again later.")
            if locked
            else N_("Invalid username, password or code.")
        )
        context = {"error": gettext(request, message), "username": username, "next": next}
        return render(request, "login.html", context, status_code=401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    max_age = int((result.expires_at - datetime.now(UTC)).total_seconds())
    set_cookie(request, response, TOKEN_COOKIE, result.token, max_age=max(max_age, 1))
    set_cookie(request, response, CSRF_COOKIE, new_csrf_token())
    return response


@router.post("/logout", dependencies=[CsrfChecked])
def logout_submit(request: Request, principal: UiPrincipal) -> Response:
    if principal.session_id:
        logout(request.app.state.platform, principal)
    response = RedirectResponse("/ui/login", status_code=303)
    response.delete_cookie(TOKEN_COOKIE, path="/")
    set_cookie(request, response, CSRF_COOKIE, new_csrf_token())
    return response
