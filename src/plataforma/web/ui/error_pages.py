"""Errors under ``/ui`` answer with a page in the user's language, not a problem document.

The API's handlers (``web/problems.py``) turn every error into RFC 9457 JSON, which is right
for programs and useless to an officer who followed a stale link. This module wraps those
handlers rather than replacing them: the API handler still runs first (so whatever it logs or
counts still happens, and its headers are kept), and only for a page path its JSON body is
swapped for the HTML error page. If the page itself cannot be drawn (the store is down and
the session cannot be read), the problem document is answered and the failure logged.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from plataforma.web.ui.display import N_
from plataforma.web.ui.labels import FIELD_LABELS
from plataforma.web.ui.templating import error_page, gettext, status_title, translate

logger = logging.getLogger(__name__)

Handler = Callable[[Request, Exception], Awaitable[Response]]

DETAILS = {
    404: N_("This page does not exist. Check the address, or go back to the home page."),
    405: N_("This page cannot be used that way."),
    500: N_("The server failed; the event was logged. Try again in a moment."),
}
PARAMETER_PROBLEM = N_("%(field)s: %(problem)s")
_KEPT_HEADERS_SKIPPED = frozenset({"content-length", "content-type"})


def is_page(request: Request) -> bool:
    """A UI page (not a static file, not the API)."""
    path = request.url.path
    return path.startswith("/ui") and not path.startswith("/ui/static")


def install_error_pages(app: FastAPI) -> None:
    """Wrap the API's handlers for HTTP errors, bad parameters and unexpected failures."""
    for kind in (StarletteHTTPException, RequestValidationError, Exception):
        handler = app.exception_handlers.get(kind)
        if handler is not None:
            app.add_exception_handler(kind, _with_pages(cast(Handler, handler)))


def _with_pages(api_handler: Handler) -> Handler:
    async def handle(request: Request, error: Exception) -> Response:
        answer = await api_handler(request, error)
        if not is_page(request):
            return answer
        try:
            page = error_page(
                request, answer.status_code, status_title(request, answer.status_code),
                _detail(request, error, answer.status_code),
            )  # fmt: skip
        except Exception:  # the page needs the session and the store; the answer stands
            logger.exception(
                "error page for %s failed; answering the problem document", request.url.path
            )
            return answer
        for name, value in answer.headers.items():
            if name.lower() not in _KEPT_HEADERS_SKIPPED:
                page.headers.setdefault(name, value)
        return page

    return handle


def _detail(request: Request, error: Exception, status: int) -> str:
    if isinstance(error, RequestValidationError):
        problems = []
        for item in error.errors():
            where = [str(part) for part in item.get("loc", ()) if part not in ("query", "path")]
            field = where[-1] if where else ""
            message = FIELD_LABELS.get(field)
            shown = gettext(request, message) if message else field
            problem = translate(request, str(item.get("msg", "")))
            problems.append(
                gettext(request, PARAMETER_PROBLEM) % {"field": shown, "problem": problem}
            )
        return "; ".join(problems)
    if status in DETAILS:
        return gettext(request, DETAILS[status])
    if isinstance(error, StarletteHTTPException):
        return translate(request, str(error.detail))
    return gettext(request, DETAILS[500])
