"""The analysts' pages of the national person index: the review queue and a person's page.

Translation only: `resolve.review.ReviewService` and `resolve.service.PersonService` decide
who may see and judge what, and audit it; these routes turn their answers into pages and
their refusals into pages in the reader's language. A decision redirects to the person's
page, so its effect (two records now one person, or kept apart) is seen at once.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from plataforma.errors import FieldError, InvalidRecord, RecordError
from plataforma.resolve.review import ReviewService
from plataforma.resolve.service import PersonService
from plataforma.security import policy
from plataforma.security.policy import Purpose
from plataforma.security.principal import Principal
from plataforma.web.deps import RowIdPath
from plataforma.web.ui import person_labels
from plataforma.web.ui.exchange_pages import refused
from plataforma.web.ui.inquiry_labels import CAVEAT_LABELS
from plataforma.web.ui.routes_home import default_purpose
from plataforma.web.ui.session import CsrfChecked, UiPrincipal
from plataforma.web.ui.templating import record_error_page, render

router = APIRouter()

MentionPath = Annotated[str, Path(min_length=1, max_length=48, pattern=r"^[0-9A-Za-z.\-]+$")]
PurposeQuery = Annotated[str, Query(max_length=32)]
Reason = Annotated[str, Form(max_length=2000)]

#: Record types in the order a person's page shows them: what an officer must act on first.
TYPE_ORDER = ("warrant", "protection_order", "detention", "incident", "person")


def _purpose(value: str) -> Purpose | None:
    return Purpose(value) if value in set(Purpose) else None


def _labels(**context: Any) -> dict[str, Any]:
    return {**person_labels.GLOBALS, "CAVEAT_LABELS": CAVEAT_LABELS, **context}


def person_url(person_id: str, purpose: Purpose, **extra: str) -> str:
    return f"/ui/persons/{person_id}?" + urlencode({"purpose": str(purpose), **extra})


# --- the review queue ------------------------------------------------------------------


def _queue(request: Request, principal: Principal, purpose: Purpose, cursor: int) -> dict[str, Any]:
    answer = ReviewService(request.app.state.platform).queue(principal, purpose, cursor, 10)
    next_url = None
    if answer["next_cursor"]:
        next_url = "/ui/review?" + urlencode(
            {"purpose": str(purpose), "cursor": answer["next_cursor"]}
        )
    return _labels(items=answer["items"], purpose=purpose, next_url=next_url)


@router.get("/review", response_class=HTMLResponse)
def review_page(
    request: Request,
    principal: UiPrincipal,
    purpose: PurposeQuery = "",
    cursor: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    """Uncertain pairs side by side with their explanation; accept or reject with a reason."""
    chosen = _purpose(purpose) or default_purpose(principal)
    try:
        context = _queue(request, principal, chosen, cursor)
    except RecordError as error:
        return record_error_page(request, error)
    return render(request, "review.html", context, principal=principal)


@router.post("/review/{review_id}", dependencies=[CsrfChecked], response_model=None)
def decide_review(
    request: Request,
    principal: UiPrincipal,
    review_id: RowIdPath,
    decision: Annotated[str, Form(pattern="^(accept|reject)$")],
    reason: Reason,
    purpose: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    chosen = _purpose(purpose) or default_purpose(principal)
    service = ReviewService(request.app.state.platform)
    try:
        if len(reason.strip()) < 3:
            raise _short_reason()
        done = service.decide(principal, review_id, decision == "accept", reason.strip(), chosen)
    except RecordError as error:
        try:
            context = _queue(request, principal, chosen, 0)
        except RecordError as hidden:
            return record_error_page(request, hidden)
        return refused(request, "review.html", principal, context, error)
    left = done["judgement"]["left"]
    return RedirectResponse(person_url(left, chosen, decided=str(review_id)), status_code=303)


def _short_reason() -> RecordError:
    return InvalidRecord([FieldError("/reason", "give a reason of at least 3 characters")])


# --- a national person -------------------------------------------------------------------


def _rank(member: dict[str, Any]) -> tuple[int, int, int, str]:
    kind = member["record_type"]
    order = TYPE_ORDER.index(kind) if kind in TYPE_ORDER else len(TYPE_ORDER)
    return (order, 0 if member.get("hit") else 1, -len(member.get("caveats") or ()), kind)


def grouped_records(records: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The person's records by type, warrants and protection orders first, hits first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for member in sorted(records, key=_rank):
        groups.setdefault(member["record_type"], []).append(member)
    return list(groups.items())


@router.get("/persons/{person_id}", response_class=HTMLResponse)
def person_page(
    request: Request,
    principal: UiPrincipal,
    person_id: MentionPath,
    purpose: PurposeQuery = "",
    decided: Annotated[str, Query(max_length=12)] = "",
    revoked: Annotated[str, Query(max_length=1)] = "",
) -> HTMLResponse:
    """The national person with the records the caller may read, grouped by type."""
    chosen = _purpose(purpose)
    if chosen is None:
        ask = {
            "action": f"/ui/persons/{person_id}",
            "purpose": default_purpose(principal),
            "explain_person": True,
        }
        return render(request, "choose_purpose.html", ask, principal=principal)
    try:
        person = PersonService(request.app.state.platform).person(principal, person_id, chosen)
    except RecordError as error:
        return record_error_page(request, error)
    context = _labels(
        person=person,
        groups=grouped_records(person["records"]),
        purpose=chosen,
        may_judge=bool(policy.can_judge_persons(principal, chosen)),
        decided=decided,
        revoked=bool(revoked),
    )
    return render(request, "person.html", context, principal=principal)


@router.post(
    "/persons/judgements/{judgement_id}/revoke", dependencies=[CsrfChecked], response_model=None
)
def revoke_judgement(
    request: Request,
    principal: UiPrincipal,
    judgement_id: RowIdPath,
    person_id: Annotated[str, Form(max_length=48, pattern=r"^[0-9A-Za-z.\-]+$")],
    purpose: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    """Revoke a judgement (kept, marked revoked); back to the person, resolved again."""
    chosen = _purpose(purpose) or default_purpose(principal)
    try:
        PersonService(request.app.state.platform).revoke(principal, judgement_id, chosen)
    except RecordError as error:
        return record_error_page(request, error)
    return RedirectResponse(person_url(person_id, chosen, revoked="1"), status_code=303)
