"""``/api/v1/search``: find records by CURP, plate, VIN, serial, folio or name, by subject."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from plataforma.model.envelope import Envelope
from plataforma.records.hits import HitKind
from plataforma.records.search import (
    MAX_PAGE_SIZE,
    MAX_PER_GROUP,
    PAGE_SIZE,
    PER_GROUP,
    SearchKind,
    search_records,
)
from plataforma.records.search_subjects import SubjectBasis, SubjectGroup
from plataforma.web.deps import CurrentPrincipal, PlatformDep, PurposeDep

router = APIRouter(prefix="/search", tags=["search"])


class FoundRecordOut(Envelope):
    hit: HitKind | None = Field(
        default=None, description="Why this record is a hit (an active warrant, ...), if it is"
    )


class SubjectOut(BaseModel):
    name: str | None = None
    date_of_birth: str | None = None
    curp: str | None = None
    identifier: str | None = None


class GroupOut(BaseModel):
    subject: str = Field(description="The subject's id in this answer (a key or a cluster id)")
    basis: SubjectBasis = Field(description="Why these records are taken to be one subject")
    label: SubjectOut
    record_count: int = Field(description="Records of this subject you may read")
    counts: dict[str, int] = Field(description="Of those, how many of each record type")
    hit_count: int = Field(description="Of those, how many are hits")
    records: list[FoundRecordOut] = Field(description="Hits first; at most ``per_group``")


class SearchReply(BaseModel):
    key_kind: str
    key: str
    groups: list[GroupOut]
    group_count: int = Field(description="Subjects in the whole answer (every page)")
    record_count: int = Field(description="Records in the whole answer that you may read")
    complete: bool = Field(description="False when the key matched too many records to group")
    next_cursor: str | None = Field(description="Pass as ``cursor`` for the next page")


def _group_out(group: SubjectGroup) -> GroupOut:
    return GroupOut(
        subject=group.subject,
        basis=group.basis,
        label=SubjectOut(
            name=group.label.name,
            date_of_birth=group.label.date_of_birth,
            curp=group.label.curp,
            identifier=group.label.identifier,
        ),
        record_count=group.record_count,
        counts=group.counts,
        hit_count=group.hit_count,
        records=[
            FoundRecordOut(**found.record.model_dump(), hit=found.hit) for found in group.records
        ],
    )


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
    cursor: Annotated[
        str | None, Query(max_length=600, description="``next_cursor`` of the previous page")
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=MAX_PAGE_SIZE, description="Subjects per page")
    ] = PAGE_SIZE,
    per_group: Annotated[
        int, Query(ge=1, le=MAX_PER_GROUP, description="Records shown per subject")
    ] = PER_GROUP,
) -> SearchReply:
    """Subjects whose normalised key matches, hits first; needs ``X-Purpose``.

    Records of one subject (same CURP, or same name and full date of birth) come as one
    group; groups holding an active warrant, protection order or stolen object come first,
    and inside a group its hits come first. Hidden records are left out and change no count,
    group or page. The text is normalised as its kind ("abc-123-d" finds plate ABC123D); an
    invalid CURP, VIN, plate or serial is answered 422 naming ``/q``, a bad cursor naming
    ``/cursor``. Every search is audited with its purpose.
    """
    result = search_records(
        platform,
        principal,
        kind,
        q,
        purpose,
        dob,
        cursor=cursor,
        page_size=limit,
        per_group=per_group,
    )
    return SearchReply(
        key_kind=result.key.kind,
        key=result.key.value,
        groups=[_group_out(g) for g in result.groups],
        group_count=result.group_count,
        record_count=result.record_count,
        complete=result.complete,
        next_cursor=result.next_cursor,
    )
