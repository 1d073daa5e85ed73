"""The vocabulary and shape of an agency-to-agency message (Nlets) and its receipts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Row

from plataforma.exchange.agency_desks import AddressKind
from plataforma.exchange.boxes import aware
from plataforma.model.envelope import Marking


class MessageKind(StrEnum):
    """Structured kinds; hit confirmation requests and answers have their own exchange
    (``/api/v1/confirmations``), with deadlines a message does not carry."""

    BOLO = "bolo"  # be on the lookout: a person, vehicle or object to watch for
    REQUEST_FOR_INFORMATION = "request_for_information"
    FREE_TEXT = "free_text"


class MessagePriority(StrEnum):
    ROUTINE = "routine"
    URGENT = "urgent"
    #: Life at risk now; shown above everything else.
    FLASH = "flash"


@dataclass(frozen=True, slots=True)
class Receipt:
    """One recipient agency: delivered to its desk (when), acknowledged (by whom, when)."""

    agency: str
    delivered_at: datetime | None
    acked_at: datetime | None
    acked_by: str | None

    @classmethod
    def of(cls, row: Any) -> Receipt:
        return cls(
            agency=row.agency,
            delivered_at=aware(row.delivered_at) if row.delivered_at else None,
            acked_at=aware(row.acked_at) if row.acked_at else None,
            acked_by=row.acked_by,
        )


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    at: datetime
    sender_user: str
    sender_agency: str
    kind: MessageKind
    priority: MessagePriority
    marking: Marking
    to_kind: AddressKind
    to_value: str | None
    subject: str
    body: str
    recipient_count: int
    #: The sender's agency sees every recipient's receipt; a recipient only its own.
    receipts: tuple[Receipt, ...] = ()

    @classmethod
    def of(cls, row: Row[Any], receipts: tuple[Receipt, ...] = ()) -> Message:
        return cls(
            id=row.id,
            at=aware(row.at),
            sender_user=row.sender_user,
            sender_agency=row.sender_agency,
            kind=MessageKind(row.kind),
            priority=MessagePriority(row.priority),
            marking=Marking(row.marking),
            to_kind=AddressKind(row.to_kind),
            to_value=row.to_value,
            subject=row.subject,
            body=row.body,
            recipient_count=row.recipient_count,
            receipts=receipts,
        )
