"""``/api/v1/confirmations``: hit confirmation between the inquiring and the owning agency.

A hit is a lead, not proof: before acting on it, ask the owning agency to confirm that the
record still stands. A thin layer over :class:`ConfirmationService`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from plataforma.exchange.boxes import MAX_PAGE_SIZE, PAGE_SIZE, Box
from plataforma.exchange.confirmation_model import (
    Answer,
    Confirmation,
    ConfirmationStatus,
    StepKind,
)
from plataforma.exchange.confirmations import MAX_NOTE, ConfirmationService
from plataforma.realtime.inbox import Priority
from plataforma.web.deps import CurrentPrincipal, PlatformDep

router = APIRouter(prefix="/confirmations", tags=["confirmations"])

ConfirmationId = Annotated[str, Path(min_length=1, max_length=36)]
#: The list parameters both boxes take (messages reuse them).
CursorParam = Annotated[
    str | None, Query(max_length=200, description="``next_cursor`` of the previous page")
]
LimitParam = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page")]
LEAD = "A hit is a lead, not proof: act on it only once the owning agency confirms it."


class ConfirmationRequest(BaseModel):
    inquiry_id: str = Field(min_length=1, max_length=36, description="The inquiry that hit")
    record_id: str = Field(min_length=1, max_length=36, description="The record that was a hit")
    priority: Priority = Field(
        description="``urgent``: answered within 10 minutes; ``routine``: within 1 hour"
    )
    note: str = Field(default="", max_length=MAX_NOTE, description="For the owning agency")


class AnswerRequest(BaseModel):
    answer: Answer
    note: str = Field(default="", max_length=MAX_NOTE, description="E.g. 'warrant served'")
    answer_by: datetime | None = Field(
        default=None, description="With ``will_answer_by``: when the answer will come (ISO 8601)"
    )


class FromService(BaseModel):
    """Answers read straight from the service's dataclasses (attributes, properties)."""

    model_config = ConfigDict(from_attributes=True)


class ContactOut(FromService):
    agency: str
    name: str | None
    desk: str | None
    phone: str | None
    email: str | None
    radio: str | None
    recorded: bool = Field(description="False when the agency recorded no 24/7 contact point")


class StepOut(FromService):
    at: datetime
    actor: str
    agency: str
    step: StepKind
    detail: dict[str, object]


class ConfirmationOut(FromService):
    id: str
    inquiry_id: str
    record_id: str
    record_type: str
    requester_agency: str
    requester_user: str
    owner_agency: str
    priority: Priority
    note: str
    status: ConfirmationStatus
    created_at: datetime
    due_at: datetime = Field(description="When the owner must answer (moved by a promise)")
    answered_at: datetime | None
    answered_by: str | None
    steps: list[StepOut] = Field(description="The exchange, oldest first (single view only)")
    owner_contact: ContactOut | None = Field(
        validation_alias="contact", description="The owner's 24/7 desk (single view)"
    )
    notice: str = LEAD

    @classmethod
    def of(cls, item: Confirmation) -> ConfirmationOut:
        return cls.model_validate(item)


class ConfirmationPageOut(BaseModel):
    items: list[ConfirmationOut]
    next_cursor: str | None = Field(description="Pass as ``cursor`` for the next page")


@router.post("", status_code=201, response_model=ConfirmationOut)
def request_confirmation(
    principal: CurrentPrincipal,
    platform: PlatformDep,
    body: Annotated[ConfirmationRequest, Body()],
) -> ConfirmationOut:
    """Ask the agency that owns a hit to confirm it.

    Only the agency whose inquiry returned the record as a hit may ask (403 otherwise, the
    same answer whether the inquiry is another agency's or does not exist). The owning
    agency's desk is notified at once; it must answer within 10 minutes (urgent) or an hour
    (routine), or is reminded and then its supervisors are told. Asking again about the same
    hit returns the open request. Audited.
    """
    service = ConfirmationService(platform)
    item = service.request(principal, body.inquiry_id, body.record_id, body.priority, body.note)
    return ConfirmationOut.of(item)


@router.get("", response_model=ConfirmationPageOut)
def list_confirmations(
    principal: CurrentPrincipal,
    platform: PlatformDep,
    box: Annotated[Box, Query(description="``in``: to your agency; ``out``: asked by it")],
    cursor: CursorParam = None,
    limit: LimitParam = PAGE_SIZE,
) -> ConfirmationPageOut:
    """Your agency's confirmations, newest first, with status and deadline. Audited."""
    page = ConfirmationService(platform).box(principal, box, cursor, limit)
    return ConfirmationPageOut(
        items=[ConfirmationOut.of(c) for c in page.items], next_cursor=page.next_cursor
    )


@router.get("/{confirmation_id}", response_model=ConfirmationOut)
def get_confirmation(
    principal: CurrentPrincipal, platform: PlatformDep, confirmation_id: ConfirmationId
) -> ConfirmationOut:
    """One confirmation with the exchange and the owner's 24/7 contact point; 404 for anyone
    outside the two agencies (auditors and administrators excepted). Audited."""
    return ConfirmationOut.of(ConfirmationService(platform).get(principal, confirmation_id))


@router.post("/{confirmation_id}/answer", response_model=ConfirmationOut)
def answer_confirmation(
    principal: CurrentPrincipal,
    platform: PlatformDep,
    confirmation_id: ConfirmationId,
    body: Annotated[AnswerRequest, Body()],
) -> ConfirmationOut:
    """The owning agency answers: ``confirmed``, ``not_confirmed`` (say why in ``note``), or
    ``will_answer_by`` with ``answer_by`` (the new deadline). Only the owning agency answers
    (403); an answered confirmation is a 409. The requester is notified. Audited."""
    service = ConfirmationService(platform)
    item = service.answer(principal, confirmation_id, body.answer, body.note, body.answer_by)
    return ConfirmationOut.of(item)
