"""What the confirmation and message pages share: the labels in the context, a refused
form shown again with its reason, and times typed on the user's clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from plataforma.errors import FieldError, InvalidRecord, RecordError
from plataforma.security.principal import Principal
from plataforma.web.ui import exchange_labels
from plataforma.web.ui.templating import field_name, record_error_page, render, translate
from plataforma.web.ui.times import user_zone


def page(
    request: Request,
    template: str,
    principal: Principal,
    context: dict[str, Any],
    status_code: int = 200,
) -> HTMLResponse:
    values = {**exchange_labels.GLOBALS, **context}
    return render(request, template, values, principal=principal, status_code=status_code)


def refused(
    request: Request,
    template: str,
    principal: Principal,
    context: dict[str, Any],
    error: RecordError,
) -> HTMLResponse:
    """The form again with the reason (422 naming the field, 403 the rule); 404 as a page."""
    if isinstance(error, InvalidRecord):
        shown = [
            f"{field_name(request, e.pointer)}: {translate(request, e.detail)}"
            for e in error.errors
        ]
    elif error.status == 403:
        shown = [translate(request, str(error))]
    else:
        return record_error_page(request, error)
    return page(request, template, principal, {**context, "errors": shown}, error.status)


def local_input(value: str, principal: Principal) -> datetime | None:
    """A ``datetime-local`` value (no offset) read on the user's agency's clock."""
    if not value.strip():
        return None
    try:
        typed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidRecord([FieldError("/answer_by", "not a date and time")]) from None
    return typed if typed.tzinfo else typed.replace(tzinfo=user_zone(principal))
