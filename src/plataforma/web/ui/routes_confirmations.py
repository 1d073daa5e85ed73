"""Hit confirmation pages: requests to my agency with a countdown to their deadline, requests
by my agency with their status, one exchange with its thread and the answer form."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from plataforma.errors import RecordError
from plataforma.exchange.boxes import Box, utc_now
from plataforma.exchange.confirmation_model import Answer
from plataforma.exchange.confirmations import MAX_NOTE, ConfirmationService
from plataforma.realtime.inbox import Priority
from plataforma.security import policy
from plataforma.security.principal import Principal
from plataforma.web.ui.exchange_pages import local_input, page, refused
from plataforma.web.ui.session import CsrfChecked, UiPrincipal

router = APIRouter()

Text = Annotated[str, Form(max_length=MAX_NOTE)]


def _boxes(request: Request, principal: Principal, **context: Any) -> dict[str, Any]:
    service = ConfirmationService(request.app.state.platform)
    return {
        "incoming": service.box(principal, Box.IN).items,
        "outgoing": service.box(principal, Box.OUT).items,
        "form": context.pop("form", {}),
        "now": utc_now(),
        **context,
    }


@router.get("/confirmations", response_class=HTMLResponse)
def confirmations_page(
    request: Request,
    principal: UiPrincipal,
    inquiry_id: Annotated[str, Query(max_length=36)] = "",
    record_id: Annotated[str, Query(max_length=36)] = "",
) -> HTMLResponse:
    """Both boxes; the request form is prefilled from a hit's link (inquiry and record)."""
    form = {"inquiry_id": inquiry_id, "record_id": record_id, "priority": "urgent"}
    return page(request, "confirmations.html", principal, _boxes(request, principal, form=form))


@router.post("/confirmations", dependencies=[CsrfChecked], response_model=None)
def request_confirmation(
    request: Request,
    principal: UiPrincipal,
    inquiry_id: Annotated[str, Form(max_length=36)] = "",
    record_id: Annotated[str, Form(max_length=36)] = "",
    priority: Annotated[Priority, Form()] = Priority.URGENT,
    note: Text = "",
) -> Response:
    service = ConfirmationService(request.app.state.platform)
    try:
        item = service.request(principal, inquiry_id.strip(), record_id.strip(), priority, note)
    except RecordError as error:
        form = {"inquiry_id": inquiry_id, "record_id": record_id, "priority": str(priority)}
        context = _boxes(request, principal, form=form | {"note": note})
        return refused(request, "confirmations.html", principal, context, error)
    return RedirectResponse(f"/ui/confirmations/{item.id}", status_code=303)


def _detail(request: Request, principal: Principal, confirmation_id: str) -> dict[str, Any]:
    item = ConfirmationService(request.app.state.platform).get(principal, confirmation_id)
    may_answer = item.open and bool(policy.can_answer_confirmation(principal, item.owner_agency))
    return {"item": item, "may_answer": may_answer, "answers": list(Answer)}


@router.get("/confirmations/{confirmation_id}", response_class=HTMLResponse, response_model=None)
def confirmation_page(request: Request, principal: UiPrincipal, confirmation_id: str) -> Response:
    try:
        context = _detail(request, principal, confirmation_id)
    except RecordError as error:
        return refused(request, "confirmation.html", principal, {}, error)
    return page(request, "confirmation.html", principal, context)


@router.post(
    "/confirmations/{confirmation_id}/answer", dependencies=[CsrfChecked], response_model=None
)
def answer_confirmation(
    request: Request,
    principal: UiPrincipal,
    confirmation_id: str,
    answer: Annotated[Answer, Form()],
    note: Text = "",
    answer_by: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    service = ConfirmationService(request.app.state.platform)
    try:
        by = local_input(answer_by, principal)
        service.answer(principal, confirmation_id, answer, note, by)
    except RecordError as error:
        try:
            context = _detail(request, principal, confirmation_id)
        except RecordError as hidden:
            return refused(request, "confirmation.html", principal, {}, hidden)
        return refused(request, "confirmation.html", principal, context, error)
    return RedirectResponse(f"/ui/confirmations/{confirmation_id}", status_code=303)
