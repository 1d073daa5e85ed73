"""The vocabulary and the shape of a hit confirmation and of the exchange about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Row

from plataforma.exchange.agency_desks import ContactPoint
from plataforma.exchange.boxes import aware
from plataforma.realtime.inbox import Priority


class ConfirmationStatus(StrEnum):
    PENDING = "pending"
    #: The owner promised an answer by a time of its choosing (``due_at`` moved there).
    PROMISED = "promised"
    CONFIRMED = "confirmed"
    NOT_CONFIRMED = "not_confirmed"


OPEN = (ConfirmationStatus.PENDING, ConfirmationStatus.PROMISED)


class Answer(StrEnum):
    """What the owning agency says: the record stands, it does not (warrant served, vehicle
    recovered, ...), or when it will know."""

    CONFIRMED = "confirmed"
    NOT_CONFIRMED = "not_confirmed"
    WILL_ANSWER_BY = "will_answer_by"


class StepKind(StrEnum):
    REQUEST = "request"
    ANSWER = "answer"
    PROMISE = "promise"
    REMINDER = "reminder"
    ESCALATION = "escalation"


@dataclass(frozen=True, slots=True)
class Step:
    at: datetime
    actor: str
    agency: str
    step: StepKind
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Confirmation:
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
    due_at: datetime
    answered_at: datetime | None
    answered_by: str | None
    #: The thread both sides see, oldest first (empty in box listings).
    steps: tuple[Step, ...] = ()
    #: The owning agency's 24/7 desk, shown to the inquiring agency (only on a single view).
    contact: ContactPoint | None = None

    @property
    def open(self) -> bool:
        return self.status in OPEN

    def overdue(self, now: datetime) -> bool:
        return self.open and now >= self.due_at

    @classmethod
    def of(
        cls, row: Row[Any], steps: tuple[Step, ...] = (), contact: ContactPoint | None = None
    ) -> Confirmation:
        return cls(
            id=row.id,
            inquiry_id=row.inquiry_id,
            record_id=row.record_id,
            record_type=row.record_type,
            requester_agency=row.requester_agency,
            requester_user=row.requester_user,
            owner_agency=row.owner_agency,
            priority=Priority(row.priority),
            note=row.note,
            status=ConfirmationStatus(row.status),
            created_at=aware(row.created_at),
            due_at=aware(row.due_at),
            answered_at=aware(row.answered_at) if row.answered_at else None,
            answered_by=row.answered_by,
            steps=steps,
            contact=contact,
        )


def step_of(row: Row[Any]) -> Step:
    return Step(aware(row.at), row.actor, row.agency, StepKind(row.step), dict(row.detail or {}))
