"""The IPH entry form: validated as the user types, stored through the records service."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from plataforma.model.codes import CodeError, municipalities_of
from plataforma.records.errors import FieldError, InvalidRecord, RecordError
from plataforma.records.service import RecordService, validate
from plataforma.security import policy
from plataforma.security.principal import Principal
from plataforma.web.ui.forms import FormPayload, UnmappableForm, parse_form
from plataforma.web.ui.session import CsrfChecked, PageForbidden, UiPrincipal
from plataforma.web.ui.templating import field_name, gettext, record_error_page, render, translate

router = APIRouter()

ANNEXES = ("persons", "detentions", "vehicles", "weapons", "objects")
# The form has no source_ref input: the folio is the IPH's own id and fills it.
_ALIASES = {"/source_ref": "/folio"}
_ROW = re.compile(r"^(" + "|".join(ANNEXES) + r")-([0-9]{1,3})-")


def _may_enter(principal: Principal) -> None:
    decision = policy.can_write(principal, "incident", principal.agency)
    if not decision:
        raise PageForbidden(decision.reason)


async def _read_form(
    request: Request,
) -> tuple[FormPayload | UnmappableForm, dict[str, Any]]:
    """The record the form describes (naive times stay naive: the model localises them all),
    or why its names cannot describe one; and the values as typed, to show them again."""
    form = await request.form()
    items = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    values: dict[str, Any] = {}
    for name, value in items:
        if name == "crime_types":
            values.setdefault(name, []).append(value)
        else:
            values[name] = value
    try:
        parsed = parse_form(items)
    except UnmappableForm as error:
        return error, values
    if parsed.payload.get("folio") and not parsed.payload.get("source_ref"):
        parsed.payload["source_ref"] = parsed.payload["folio"]  # the folio is the IPH's own id
    return parsed, values


def _unmappable(request: Request, error: UnmappableForm) -> list[str]:
    """The summary line for a form whose names the server cannot map (the page never sends
    such names; a hand-made request does)."""
    return [f"{error.name}: {gettext(request, error.reason)}"]


def _field_errors(
    request: Request, parsed: FormPayload, names: list[str], errors: list[FieldError]
) -> tuple[dict[str, str], list[str]]:
    """Errors by input name, and the ones no input shows (reported in the summary)."""
    by_field: dict[str, str] = {}
    unplaced: list[str] = []
    for error in errors:
        detail = translate(request, error.detail)
        pointer = _ALIASES.get(error.pointer, error.pointer)
        name = parsed.field_name(pointer, names)
        if name is None:
            unplaced.append(f"{field_name(request, pointer)}: {detail}")
        elif name not in by_field:
            by_field[name] = detail
        elif detail not in by_field[name]:
            by_field[name] = f"{by_field[name]}; {detail}"
    return by_field, unplaced


def _input_names(values: dict[str, Any]) -> list[str]:
    return sorted((set(values) | {"crime_types"}) - {"csrf_token"})


def _rows(values: dict[str, Any]) -> dict[str, list[int]]:
    rows: dict[str, set[int]] = {annex: set() for annex in ANNEXES}
    for name in values:
        if match := _ROW.match(name):
            rows[match.group(1)].add(int(match.group(2)))
    return {annex: sorted(indices) for annex, indices in rows.items()}


def _form_page(
    request: Request,
    principal: Principal,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    unplaced: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    state = values.get("place-state") or ""
    context = {
        "values": values,
        "errors": errors or {},
        "unplaced": unplaced or [],
        "rows": _rows(values),
        "municipalities": _municipalities(state),
    }
    return render(
        request, "incident_form.html", context, principal=principal, status_code=status_code
    )


def _municipalities(state: str) -> list[Any]:
    if not state:
        return []
    try:
        return sorted(municipalities_of(state), key=lambda m: m.name)
    except CodeError:
        return []


@router.get("/incidents/new", response_class=HTMLResponse)
def new_incident(request: Request, principal: UiPrincipal) -> HTMLResponse:
    _may_enter(principal)
    return _form_page(request, principal, {"marking": "SBU"})


@router.get("/incidents/municipalities", response_class=HTMLResponse)
def municipality_options(
    request: Request,
    principal: UiPrincipal,
    state: Annotated[str, Query(alias="place-state", max_length=40)] = "",
) -> HTMLResponse:
    """The municipality ``<option>``s of the chosen state, for the dependent select."""
    context = {"municipalities": _municipalities(state), "selected": ""}
    return render(request, "_municipality_options.html", context, principal=principal)


@router.post("/incidents/validate", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def validate_incident(request: Request, principal: UiPrincipal) -> HTMLResponse:
    """Validate the form as typed; answers the summary plus each input's error (out of band)."""
    parsed, values = await _read_form(request)
    names = _input_names(values)
    if isinstance(parsed, UnmappableForm):
        context = {"names": [], "errors": {}, "unplaced": _unmappable(request, parsed), "count": 1}
        return render(request, "_validation.html", context, principal=principal, status_code=400)
    try:
        validate("incident", parsed.payload)
        errors: list[FieldError] = []
    except InvalidRecord as error:
        errors = error.errors
    by_field, unplaced = _field_errors(request, parsed, names, errors)
    context = {"names": names, "errors": by_field, "unplaced": unplaced, "count": len(errors)}
    return render(request, "_validation.html", context, principal=principal)


@router.post("/incidents", dependencies=[CsrfChecked])
async def submit_incident(request: Request, principal: UiPrincipal) -> Response:
    """Store the IPH and show it; an invalid form comes back with its errors beside the inputs."""
    _may_enter(principal)
    parsed, values = await _read_form(request)
    if isinstance(parsed, UnmappableForm):
        unplaced = _unmappable(request, parsed)
        return _form_page(request, principal, values, {}, unplaced, status_code=400)
    try:
        result = RecordService(request.app.state.platform).submit(
            principal, "incident", parsed.payload
        )
    except InvalidRecord as error:
        names = _input_names(values)
        by_field, unplaced = _field_errors(request, parsed, names, error.errors)
        return _form_page(request, principal, values, by_field, unplaced, status_code=422)
    except RecordError as error:
        return record_error_page(request, error)
    target = f"/ui/records/{result.id}?purpose={policy.Purpose.DATA_QUALITY}"
    return RedirectResponse(target, status_code=303)
