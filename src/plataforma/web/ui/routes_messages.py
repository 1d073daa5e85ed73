"""Agency message pages: compose, the in and out boxes, one message with its receipts and
the acknowledgement button."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from plataforma.errors import RecordError
from plataforma.exchange.agency_desks import AddressKind
from plataforma.exchange.boxes import Box
from plataforma.exchange.message_model import MessageKind, MessagePriority
from plataforma.exchange.messages import Draft, MessageService
from plataforma.model.envelope import Marking
from plataforma.security import policy
from plataforma.security.principal import Principal
from plataforma.web.ui.exchange_pages import page, refused
from plataforma.web.ui.session import CsrfChecked, UiPrincipal

router = APIRouter()


def _boxes(request: Request, principal: Principal, form: dict[str, Any]) -> dict[str, Any]:
    service = MessageService(request.app.state.platform)
    return {
        "inbox": service.box(principal, Box.IN).items,
        "outbox": service.box(principal, Box.OUT).items,
        "form": form,
        "kinds": list(MessageKind),
        "priorities": list(MessagePriority),
        "addresses": list(AddressKind),
        "markings": [m for m in Marking if m.rank <= principal.clearance.rank],
    }


@router.get("/messages", response_class=HTMLResponse)
def messages_page(request: Request, principal: UiPrincipal) -> HTMLResponse:
    form = {"kind": "bolo", "priority": "routine", "marking": "SBU", "to": "agency"}
    return page(request, "messages.html", principal, _boxes(request, principal, form))


@router.post("/messages", dependencies=[CsrfChecked], response_model=None)
def send_message(
    request: Request,
    principal: UiPrincipal,
    kind: Annotated[MessageKind, Form()],
    to: Annotated[AddressKind, Form()],
    priority: Annotated[MessagePriority, Form()] = MessagePriority.ROUTINE,
    marking: Annotated[Marking, Form()] = Marking.SBU,
    to_value: Annotated[str, Form(max_length=40)] = "",
    subject: Annotated[str, Form(max_length=200)] = "",
    body: Annotated[str, Form(max_length=100_000)] = "",
) -> Response:
    draft = Draft(kind, priority, marking, to, to_value or None, subject, body)
    try:
        sent = MessageService(request.app.state.platform).send(principal, draft)
    except RecordError as error:
        form: dict[str, str] = {"kind": kind, "priority": priority, "marking": marking}
        form["to"] = to
        form |= {"to_value": to_value, "subject": subject, "body": body}
        context = _boxes(request, principal, form)
        return refused(request, "messages.html", principal, context, error)
    return RedirectResponse(f"/ui/messages/{sent.id}", status_code=303)


@router.get("/messages/{message_id}", response_class=HTMLResponse, response_model=None)
def message_page(request: Request, principal: UiPrincipal, message_id: str) -> Response:
    try:
        item = MessageService(request.app.state.platform).get(principal, message_id)
    except RecordError as error:
        return refused(request, "message.html", principal, {}, error)
    mine = [r for r in item.receipts if r.agency == principal.agency]
    may_ack = bool(mine) and mine[0].acked_at is None
    may_ack = may_ack and bool(policy.can_ack_message(principal, True, item.marking))
    return page(request, "message.html", principal, {"item": item, "may_ack": may_ack})


@router.post("/messages/{message_id}/ack", dependencies=[CsrfChecked], response_model=None)
def ack_message(request: Request, principal: UiPrincipal, message_id: str) -> Response:
    try:
        MessageService(request.app.state.platform).ack(principal, message_id)
    except RecordError as error:
        return refused(request, "message.html", principal, {}, error)
    return RedirectResponse(f"/ui/messages/{message_id}", status_code=303)
