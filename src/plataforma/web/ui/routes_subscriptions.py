"""The subscriptions page: what you follow, a form for each kind, and delete; plus the
"subscribe" action of a record page. Everything goes through the subscriptions service, as
the API does, so the same checks, bounds and audit apply."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import TypeAdapter, ValidationError

from plataforma.errors import RecordError, field_errors
from plataforma.model.codes.crime_types import all_crime_types
from plataforma.model.codes.states import all_states
from plataforma.records.search import SearchKind
from plataforma.security import policy
from plataforma.security.principal import Principal
from plataforma.subscriptions.service import MAX_PAGE, SubscriptionService
from plataforma.subscriptions.targets import SubscriptionKind, Target
from plataforma.web.ui.display import N_
from plataforma.web.ui.routes_home import default_purpose
from plataforma.web.ui.session import CsrfChecked, UiPrincipal
from plataforma.web.ui.templating import field_name, gettext, render, translate

router = APIRouter()
TARGET: TypeAdapter[Target] = TypeAdapter(Target)

SUBSCRIPTION_KIND_LABELS: dict[str, str] = {
    SubscriptionKind.PERSON: N_("Person"),
    SubscriptionKind.VEHICLE: N_("Vehicle"),
    SubscriptionKind.FIREARM: N_("Firearm"),
    SubscriptionKind.RECORD: N_("Record"),
    SubscriptionKind.SEARCH: N_("Saved search"),
    SubscriptionKind.AREA: N_("Area and crime type"),
}
#: The inputs each kind's form sends (everything else in the form is ignored).
FIELDS: dict[str, tuple[str, ...]] = {
    SubscriptionKind.PERSON: ("curp", "name", "date_of_birth"),
    SubscriptionKind.VEHICLE: ("plate", "vin"),
    SubscriptionKind.FIREARM: ("serial",),
    SubscriptionKind.RECORD: ("record_id",),
    SubscriptionKind.SEARCH: ("search_kind", "q", "dob"),
    SubscriptionKind.AREA: ("state", "municipality", "crime_type"),
}


def _page(
    request: Request,
    principal: Principal,
    errors: list[str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    service = SubscriptionService(request.app.state.platform)
    items, _ = service.page(principal, None, MAX_PAGE)
    context: dict[str, Any] = {
        "items": items,
        "kinds": list(SubscriptionKind),
        "KIND_LABELS_SUB": SUBSCRIPTION_KIND_LABELS,
        "search_kinds": list(SearchKind),
        "states": all_states(),
        "crime_types": all_crime_types(),
        "purpose": default_purpose(principal),
        "may_use_desk": bool(policy.can_subscribe(principal, default_purpose(principal), True)),
        "errors": errors or [],
        "values": values or {},
        "created": request.query_params.get("created") == "1",
    }
    return render(
        request, "subscriptions.html", context, principal=principal, status_code=status_code
    )


@router.get("/subscriptions", response_class=HTMLResponse)
def subscriptions_page(request: Request, principal: UiPrincipal) -> HTMLResponse:
    """Your subscriptions and your agency desk's, and a form for each kind."""
    return _page(request, principal)


def _body(form: dict[str, str]) -> dict[str, Any]:
    kind = form.get("kind", "")
    body: dict[str, Any] = {"kind": kind, "purpose": form.get("purpose") or None}
    if form.get("desk"):
        body["desk"] = True
    if form.get("label", "").strip():
        body["label"] = form["label"].strip()
    for name in FIELDS.get(kind, ()):
        if form.get(name, "").strip():
            body[name] = form[name].strip()
    return body


@router.post("/subscriptions", dependencies=[CsrfChecked])
async def create_subscription(request: Request, principal: UiPrincipal) -> Response:
    """Create one from a kind's form; errors come back on the page, naming the field."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    service = SubscriptionService(request.app.state.platform)
    try:
        service.create(principal, TARGET.validate_python(_body(form)))
    except ValidationError as error:
        problems = [
            f"{field_name(request, e.pointer)}: {translate(request, e.detail)}"
            for e in field_errors(error)
        ]
        return _page(request, principal, problems, form, status_code=422)
    except RecordError as error:
        errors = getattr(error, "errors", None) or []
        problems = [
            f"{field_name(request, e.pointer)}: {translate(request, e.detail)}" for e in errors
        ] or [translate(request, str(error))]
        return _page(request, principal, problems, form, status_code=error.status)
    return RedirectResponse("/ui/subscriptions?created=1", status_code=303)


@router.post("/subscriptions/{subscription_id}/delete", dependencies=[CsrfChecked])
def delete_subscription(request: Request, principal: UiPrincipal, subscription_id: str) -> Response:
    """Stop following; someone else's subscription is "not found", as in the API."""
    try:
        SubscriptionService(request.app.state.platform).delete(principal, subscription_id[:36])
    except RecordError as error:
        message = gettext(request, "No such subscription.")
        return _page(request, principal, [message], status_code=error.status)
    return RedirectResponse("/ui/subscriptions", status_code=303)
