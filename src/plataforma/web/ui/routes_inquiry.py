"""The officer's inquiry screen: hit or no hit on a person, a vehicle or a firearm.

The hit summary comes first (a red banner with the caveats), then each hit with what to do
and how to ask the owning agency for confirmation, then the records that are not hits and
why. It calls the same ``inquiry`` service as the API and the CLI, under the same per-user
rate limit, so the screen cannot answer what the API would not.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from plataforma.inquiry import (
    FirearmQuery,
    InquiryKind,
    InvalidQuery,
    PersonQuery,
    VehicleQuery,
    inquire,
)
from plataforma.inquiry import (
    Query as Inquiry,
)
from plataforma.records.errors import RecordError
from plataforma.security.policy import Purpose
from plataforma.web.routers.inquiries import rate_limited
from plataforma.web.ui.inquiry_labels import (
    CAVEAT_LABELS,
    GUIDANCE_LABELS,
    INQUIRY_KIND_LABELS,
    NO_HIT_LABELS,
)
from plataforma.web.ui.routes_home import default_purpose
from plataforma.web.ui.search_labels import HIT_LABELS
from plataforma.web.ui.session import UiPrincipal
from plataforma.web.ui.templating import gettext, render

router = APIRouter()

Field = Annotated[str, Query(max_length=120)]


def _query(kind: InquiryKind, form: dict[str, str]) -> Inquiry:
    if kind is InquiryKind.VEHICLE:
        return VehicleQuery(plate=form["plate"], state=form["state"], vin=form["vin"])
    if kind is InquiryKind.FIREARM:
        return FirearmQuery(serial=form["serial"])
    return PersonQuery(
        name=form["name"] or None,
        date_of_birth=form["dob"] or None,
        curp=form["curp"] or None,
        document=form["document"] or None,
    )


@router.get("/inquiry", response_class=HTMLResponse)
async def inquiry_page(
    request: Request,
    principal: UiPrincipal,
    kind: Annotated[str, Query(max_length=16)] = "person",
    name: Field = "",
    dob: Field = "",
    curp: Field = "",
    document: Field = "",
    plate: Field = "",
    state: Field = "",
    vin: Field = "",
    serial: Field = "",
    purpose: Annotated[str, Query(max_length=32)] = "",
) -> HTMLResponse:
    """The form; with any value filled in, the answer too (HTMX gets the answer only)."""
    chosen = Purpose(purpose) if purpose in set(Purpose) else None
    inquiry_kind = InquiryKind(kind) if kind in set(InquiryKind) else InquiryKind.PERSON
    form = {
        "kind": inquiry_kind,
        "name": name,
        "dob": dob,
        "curp": curp,
        "document": document,
        "plate": plate,
        "state": state,
        "vin": vin,
        "serial": serial,
    }
    context: dict[str, Any] = {
        "form": form,
        "kinds": list(InquiryKind),
        "purpose": chosen or default_purpose(principal),
        "answer": None,
        "errors": [],
        "HIT_LABELS": HIT_LABELS,
        "CAVEAT_LABELS": CAVEAT_LABELS,
        "GUIDANCE_LABELS": GUIDANCE_LABELS,
        "NO_HIT_LABELS": NO_HIT_LABELS,
        "INQUIRY_KIND_LABELS": INQUIRY_KIND_LABELS,
    }
    status = 200
    asked = any(v.strip() for k, v in form.items() if k != "kind")
    if asked:
        status = await _answer(request, principal, inquiry_kind, form, chosen, context)
    partial = bool(request.headers.get("hx-request")) and not request.headers.get("hx-boosted")
    template = "_inquiry_answer.html" if partial else "inquiry.html"
    return render(request, template, context, principal=principal, status_code=status)


async def _answer(
    request: Request,
    principal: UiPrincipal,
    kind: InquiryKind,
    form: dict[str, str],
    purpose: Purpose | None,
    context: dict[str, Any],
) -> int:
    if purpose is None:
        context["errors"] = [("", gettext(request, "Choose the purpose of this inquiry."))]
        return 422
    try:
        await rate_limited(request, principal)
    except HTTPException as error:
        context["errors"] = [("", gettext(request, "Too many inquiries: wait a moment."))]
        return error.status_code
    try:
        platform = request.app.state.platform
        query = _query(kind, form)
        context["answer"] = await run_in_threadpool(inquire, platform, principal, query, purpose)
    except InvalidQuery as error:
        context["errors"] = [(e.pointer, e.detail) for e in error.errors]
        return 422
    except RecordError as error:
        context["errors"] = [("", str(error))]
        return error.status
    return 200
