"""``/api/v1/records``: create, idempotently update, read, list and replace records of any type."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, HTTPException, Path, Query, Response
from pydantic import BaseModel, Field

from plataforma.inquiry.same_object import same_object
from plataforma.model.envelope import Envelope
from plataforma.model.records import RECORD_TYPES
from plataforma.records.errors import FieldError, InvalidRecord
from plataforma.records.service import HistoryEntry, WithheldVersion, validate
from plataforma.store.writer import WriteOutcome, WriteResult
from plataforma.web.deps import CurrentPrincipal, PlatformDep, PurposeDep, RecordsDep

router = APIRouter(prefix="/records", tags=["records"])

RecordType = Annotated[
    str, Path(pattern="^(" + "|".join(sorted(RECORD_TYPES)) + ")$", description="Record type")
]
RecordId = Annotated[str, Path(min_length=1, max_length=64)]
Payload = Annotated[
    dict[str, Any], Body(description="The record: envelope fields and its own fields")
]


class WriteReply(BaseModel):
    id: str
    version: int
    outcome: WriteOutcome
    source_ref: str

    @classmethod
    def of(cls, result: WriteResult) -> WriteReply:
        return cls(
            id=result.id,
            version=result.version,
            outcome=result.outcome,
            source_ref=result.source_ref,
        )


class BatchTooLarge(InvalidRecord):
    status = 413
    title = "Batch too large"


class BatchItemError(BaseModel):
    index: int
    errors: list[dict[str, str]]


class BatchReply(BaseModel):
    results: list[WriteReply]
    rejected: list[BatchItemError]


class Page(BaseModel):
    items: list[Envelope]
    next_cursor: str | None


@router.post("/{record_type}", status_code=201, response_model=WriteReply)
def create_record(
    record_type: RecordType,
    payload: Payload,
    principal: CurrentPrincipal,
    records: RecordsDep,
    response: Response,
) -> WriteReply:
    """Create a record, or update it idempotently when (agency, type, source_ref) exists.

    Answers 201 only after the commit: the record is durable when you read the reply.
    Resubmitting identical content answers 200 with outcome ``unchanged``.
    """
    result = records.submit(principal, record_type, payload)
    if result.outcome is not WriteOutcome.CREATED:
        response.status_code = 200
    response.headers["ETag"] = str(result.version)
    return WriteReply.of(result)


@router.post("/{record_type}/batch", response_model=BatchReply)
def create_batch(
    record_type: RecordType,
    payload: Annotated[list[dict[str, Any]], Body()],
    principal: CurrentPrincipal,
    records: RecordsDep,
) -> BatchReply:
    """Up to ``PLATAFORMA_MAX_BATCH_RECORDS`` (5,000) records in one transaction; invalid ones
    are listed, the rest are stored. A larger batch is a 413 naming the limit."""
    limit = records.platform.settings.max_batch_records
    if len(payload) > limit:
        raise BatchTooLarge(
            [FieldError("/", f"at most {limit} records a batch, not {len(payload)}")]
        )
    items, rejected = [], []
    for index, raw in enumerate(payload):
        try:
            items.append(records.prepare_for(principal, validate(record_type, raw)))
        except InvalidRecord as error:
            rejected.append(
                BatchItemError(
                    index=index,
                    errors=[{"pointer": e.pointer, "detail": e.detail} for e in error.errors],
                )
            )
    results = records.write(principal, items) if items else []
    return BatchReply(results=[WriteReply.of(r) for r in results], rejected=rejected)


@router.get("/{record_type}", response_model=Page)
def list_records(
    record_type: RecordType,
    principal: CurrentPrincipal,
    purpose: PurposeDep,
    records: RecordsDep,
    cursor: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    agency: Annotated[str | None, Query(max_length=32)] = None,
    state: Annotated[str | None, Query(pattern=r"^\d{2}$")] = None,
    source_ref: Annotated[str | None, Query(max_length=128)] = None,
) -> Page:
    """Records of a type in creation order; pass ``next_cursor`` back as ``cursor`` for more."""
    items, next_cursor = records.page(
        principal,
        record_type,
        purpose,
        after=cursor,
        limit=limit,
        agency=agency,
        state=state,
        source_ref=source_ref,
    )
    return Page(items=items, next_cursor=next_cursor)


@router.get("/{record_type}/{record_id}", response_model=Envelope)
def get_record(
    record_type: RecordType,
    record_id: RecordId,
    principal: CurrentPrincipal,
    purpose: PurposeDep,
    records: RecordsDep,
    response: Response,
) -> Envelope:
    """One record with its envelope and flags; needs ``X-Purpose``."""
    record = records.get(principal, record_id, purpose, record_type)
    response.headers["ETag"] = str(record.version)
    return record


class VersionReply(BaseModel):
    """One version; a withheld one carries only its number (its marking is not told)."""

    version: int
    withheld: bool = Field(
        default=False, description="The version exists but its marking or file hides it"
    )
    marking: str | None = None
    restricted_file: str | None = None
    status: str | None = None
    entered_by: str | None = None
    entered_at: str | None = None
    data: dict[str, Any] | None = None

    @classmethod
    def of(cls, entry: HistoryEntry) -> VersionReply:
        if isinstance(entry, WithheldVersion):
            return cls(version=entry.version, withheld=True)
        return cls(
            version=entry.version,
            marking=entry.marking,
            restricted_file=entry.restricted_file,
            status=entry.status,
            entered_by=entry.entered_by,
            entered_at=entry.entered_at.isoformat(),
            data=entry.data,
        )


@router.get("/{record_type}/{record_id}/history", response_model=list[VersionReply])
def get_history(
    record_type: RecordType,
    record_id: RecordId,
    principal: CurrentPrincipal,
    purpose: PurposeDep,
    records: RecordsDep,
) -> list[VersionReply]:
    """Every version, oldest first, with who entered it and when (provenance).

    Each version is judged by its own marking and restricted file: one the caller may not
    read (a SECRET version before a downgrade) is listed as ``withheld`` with its number only.
    """
    return [VersionReply.of(v) for v in records.history(principal, record_id, purpose, record_type)]


class SameObjectEntry(BaseModel):
    """Another record holding the same plate, VIN or serial, exactly or possibly."""

    record_id: str
    record_type: str
    agency: str = Field(description="The owning agency: the one to ask")
    same_agency: bool
    status: str
    hit_kind: str | None = Field(description="stolen_vehicle, stolen_firearm, or null")
    match_quality: str = Field(description="exact, or confusable (a possible match)")
    key_kind: str = Field(description="The key it was found by: plate, vin_skeleton, ...")
    score: float = Field(description="1 for an exact key; 0.5-0.9 for a possible match")
    read_as: str | None = None
    on_record: str | None = None
    check_digit_repair: bool | None = None
    note: str | None = Field(default=None, description="What to compare, for a possible match")


class SameObjectReply(BaseModel):
    record_id: str
    record_type: str
    agency: str
    identifiers: dict[str, str] = Field(description="The record's plate, VIN, serial as read")
    exact_count: int
    possible_count: int
    records: list[SameObjectEntry] = Field(description="Exact matches first")
    complete: bool = Field(description="False when more records matched than are answered")


@router.get("/{record_type}/{record_id}/same-object", response_model=SameObjectReply)
def get_same_object(
    record_type: RecordType,
    record_id: RecordId,
    principal: CurrentPrincipal,
    purpose: PurposeDep,
    platform: PlatformDep,
) -> dict[str, Any]:
    """The other records of this vehicle or firearm, in every agency; needs ``X-Purpose``.

    Records sharing its exact plate, VIN or serial come first; then *possible* matches,
    whose identifier differs only by glyphs a camera or a typist confuses (O/0, I/1, S/5,
    B/8, Z/2, G/6, D/0, L/1), each with what to compare. Only records you may read are
    listed or counted; the listing is audited.
    """
    return same_object(platform, principal, record_id, purpose, record_type).to_json()


@router.put("/{record_type}/{record_id}", response_model=WriteReply)
def replace_record(
    record_type: RecordType,
    record_id: RecordId,
    payload: Payload,
    principal: CurrentPrincipal,
    records: RecordsDep,
    response: Response,
    if_match: Annotated[str, Header(description="The version you read (ETag)")],
) -> WriteReply:
    """Replace a record's content if it is still at the version named in ``If-Match``."""
    try:
        expected = int(if_match.strip('"W/ '))
    except ValueError:
        raise HTTPException(428, "If-Match must carry the record's version number") from None
    result = records.replace(principal, record_type, record_id, payload, expected)
    response.headers["ETag"] = str(result.version)
    return WriteReply.of(result)
