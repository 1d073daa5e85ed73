"""Search records by identifier and view one record with its history and provenance."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from plataforma.records.errors import RecordError
from plataforma.records.search import InvalidQuery, SearchKind, search_records
from plataforma.records.service import RecordService
from plataforma.resolve.links import links_of_records
from plataforma.security.policy import Purpose
from plataforma.web.ui.person_labels import LINK_ROLE_LABELS
from plataforma.web.ui.routes_home import default_purpose
from plataforma.web.ui.search_labels import BASIS_LABELS, HIT_LABELS
from plataforma.web.ui.session import UiPrincipal
from plataforma.web.ui.templating import gettext, record_error_page, render

router = APIRouter()


def _purpose(value: str | None) -> Purpose | None:
    return Purpose(value) if value in set(Purpose) else None


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    principal: UiPrincipal,
    kind: Annotated[str, Query(max_length=16)] = "folio",
    q: Annotated[str, Query(max_length=200)] = "",
    dob: Annotated[str, Query(max_length=10)] = "",
    purpose: Annotated[str, Query(max_length=32)] = "",
    cursor: Annotated[str, Query(max_length=600)] = "",
) -> HTMLResponse:
    """The search form; with ``q`` also its results, one page of subjects, hits first.

    HTMX requests get the results only; ``cursor`` is the next page of the same search.
    """
    chosen = _purpose(purpose)
    search_kind = SearchKind(kind) if kind in set(SearchKind) else SearchKind.FOLIO
    context: dict[str, Any] = {
        "kinds": list(SearchKind),
        "form": {"kind": search_kind, "q": q, "dob": dob},
        "purpose": chosen or default_purpose(principal),
        "results": None,
        "next_url": None,
        "error": None,
        "HIT_LABELS": HIT_LABELS,
        "BASIS_LABELS": BASIS_LABELS,
    }
    status = 200
    if q.strip():
        if chosen is None:
            context["error"] = gettext(request, "Choose the purpose of this search.")
            status = 422
        else:
            try:
                found = search_records(
                    request.app.state.platform,
                    principal,
                    search_kind,
                    q,
                    chosen,
                    dob or None,
                    cursor=cursor or None,
                )
                context["results"] = found
                if found.next_cursor:
                    page = {"kind": search_kind, "q": q, "dob": dob, "purpose": chosen}
                    context["next_url"] = "/ui/search?" + urlencode(
                        {**page, "cursor": found.next_cursor}
                    )
            except InvalidQuery as error:
                context["error"] = "; ".join(e.detail for e in error.errors)
                status = 422
            except RecordError as error:
                context["error"] = str(error)
                status = error.status
    partial = bool(request.headers.get("hx-request")) and not request.headers.get("hx-boosted")
    template = "_search_results.html" if partial else "search.html"
    return render(request, template, context, principal=principal, status_code=status)


@router.get("/records/{record_id}", response_class=HTMLResponse)
def record_page(
    request: Request,
    principal: UiPrincipal,
    record_id: str,
    purpose: Annotated[str, Query(max_length=32)] = "",
) -> HTMLResponse:
    """One record: envelope, marking banners, flags, content and every version."""
    chosen = _purpose(purpose)
    if chosen is None:
        ask = {"record_id": record_id, "purpose": default_purpose(principal)}
        return render(request, "choose_purpose.html", ask, principal=principal)
    service = RecordService(request.app.state.platform)
    try:
        record = service.get(principal, record_id, chosen)
    except RecordError as error:
        return record_error_page(request, error)
    # The read above was authorised and audited once; each version is judged on its own.
    versions = service.visible_history(principal, record, chosen)
    # The national persons this record's mentions are linked to: links only (the person
    # page applies the policy to every other record it would show).
    with request.app.state.platform.engine.connect() as conn:
        linked = sorted(links_of_records(conn, [record.id]), key=lambda r: r.ordinal)
    context: dict[str, Any] = {
        "record": record,
        "versions": versions,
        "purpose": chosen,
        "linked_persons": linked,
        "LINK_ROLE_LABELS": LINK_ROLE_LABELS,
    }
    return render(request, "record.html", context, principal=principal)
