"""``/api/v1/search``: find records by CURP, plate, VIN, serial, folio or name."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from plataforma.model.envelope import Envelope
from plataforma.records.search import SearchKind, search_records
from plataforma.web.deps import CurrentPrincipal, PlatformDep, PurposeDep

router = APIRouter(prefix="/search", tags=["search"])


class SearchReply(BaseModel):
    key_kind: str
    key: str
    items: list[Envelope]


@router.get("", response_model=SearchReply)
def search(
    kind: Annotated[SearchKind, Query(description="What ``q`` is")],
    q: Annotated[str, Query(min_length=1, max_length=200, description="The text as typed")],
    principal: CurrentPrincipal,
    platform: PlatformDep,
    purpose: PurposeDep,
    dob: Annotated[
        str | None, Query(max_length=10, description="Date of birth, narrows a name search")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> SearchReply:
    """Records whose normalised key matches; needs ``X-Purpose``; hidden records are left out.

    The text is normalised as its kind ("abc-123-d" finds plate ABC123D); an invalid CURP, VIN,
    plate or serial is answered 422 naming ``/q``. Every search is audited.
    """
    result = search_records(platform, principal, kind, q, purpose, dob, limit)
    return SearchReply(key_kind=result.key.kind, key=result.key.value, items=result.records)
