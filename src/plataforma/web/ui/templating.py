"""The Jinja2 environment of the UI and the one function every page renders through.

Messages are looked up per request: the gettext callables read the catalogue from the
template context, so one shared environment serves Spanish and English pages at once. The
clock times are read on is chosen here too (see ``times.py``): a page showing one record
reads them on the clock of the record's place, every other page on the user's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context

from plataforma.model.envelope import Envelope
from plataforma.records.errors import RecordError
from plataforma.security.principal import Principal
from plataforma.web.ui import display
from plataforma.web.ui.display import N_
from plataforma.web.ui.i18n import LANG_COOKIE, choose_language, requested_language, translations
from plataforma.web.ui.messages import translate_reason
from plataforma.web.ui.session import csrf_token, optional_principal, set_cookie
from plataforma.web.ui.times import record_zone, user_zone

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"


@pass_context
def _gettext(context: Context, message: str) -> str:
    return str(context["translations"].gettext(message))


@pass_context
def _ngettext(context: Context, singular: str, plural: str, count: int) -> str:
    return str(context["translations"].ngettext(singular, plural, count))


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(display.FILTERS)
    env.globals.update(display.GLOBALS)
    return env


ENV = _environment()


def language(request: Request) -> str:
    default: str = request.app.state.platform.settings.default_language
    return choose_language(request, default)


def gettext(request: Request, message: str) -> str:
    """Translate a message produced in Python (errors, notices) for this request."""
    return str(translations(language(request)).gettext(message))


def field_name(request: Request, pointer: str) -> str:
    """The field a JSON pointer names, as the form labels it ("Lugar › Entidad federativa")."""
    return display.pointer_text(translations(language(request)).gettext, pointer)


def translate(request: Request, text: str) -> str:
    """A reason the model, the policy or pydantic gave in English, in this request's language."""
    return translate_reason(translations(language(request)).gettext, text)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    principal: Principal | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    lang = language(request)
    shown = (context or {}).get("record")
    zone = record_zone(shown.data, principal) if isinstance(shown, Envelope) else None
    values: dict[str, Any] = {
        "request": request,
        "lang": lang,
        "translations": translations(lang),
        "principal": principal,
        "csrf_token": csrf_token(request),
        "display_zone": zone or user_zone(principal),
    }
    values.update(context or {})
    html = ENV.get_template(template).render(values)
    response = HTMLResponse(html, status_code=status_code)
    if requested_language(request):
        set_cookie(request, response, LANG_COOKIE, lang, max_age=365 * 24 * 3600)
    return response


def error_page(request: Request, status: int, title: str, detail: str) -> HTMLResponse:
    principal = optional_principal(request)
    context = {"title": title, "detail": detail, "status": status}
    return render(request, "error.html", context, principal=principal, status_code=status)


def record_error_page(request: Request, error: RecordError) -> HTMLResponse:
    return error_page(
        request, error.status, status_title(request, error.status), translate(request, str(error))
    )


STATUS_TITLES = {
    400: N_("Bad request"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Not allowed"),
    412: N_("The record changed meanwhile"),
    413: N_("Too large"),
    422: N_("Invalid data"),
    429: N_("Too many requests"),
    500: N_("Something went wrong"),
}


def status_title(request: Request, status: int) -> str:
    return gettext(request, STATUS_TITLES.get(status, N_("Error")))
