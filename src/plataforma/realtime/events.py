"""What travels on the bus: a record's event, as its outbox row wrote it.

Events carry ids and routing facts (type, owner, marking, inquiry keys), never a record's
content: a consumer that needs the content reads it through the store and the policy. The
outbox id is the event's identity, so consumers (at-least-once delivery) can be idempotent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson


@dataclass(frozen=True, slots=True)
class RecordEvent:
    outbox_id: int
    subject: str
    record_id: str
    record_type: str
    agency: str
    marking: str
    version: int
    #: The record's inquiry keys as ``(kind, value)`` pairs (valid identifiers only).
    keys: tuple[tuple[str, str], ...]
    created_at: datetime

    @property
    def event(self) -> str:
        """``created``, ``updated`` or ``purged``: the last part of the subject."""
        return self.subject.rsplit(".", 1)[-1]

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> RecordEvent:
        """From an ``outbox`` row (a mapping of its columns)."""
        return cls(
            outbox_id=int(row["id"]),
            subject=str(row["subject"]),
            record_id=str(row["record_id"]),
            record_type=str(row["record_type"]),
            agency=str(row["agency"]),
            marking=str(row["marking"]),
            version=int(row["version"]),
            keys=tuple((str(k), str(v)) for k, v in row["keys"] or ()),
            created_at=row["created_at"],
        )

    def to_bytes(self) -> bytes:
        return orjson.dumps(
            {
                "outbox_id": self.outbox_id,
                "subject": self.subject,
                "record_id": self.record_id,
                "record_type": self.record_type,
                "agency": self.agency,
                "marking": self.marking,
                "version": self.version,
                "keys": [list(k) for k in self.keys],
                "created_at": self.created_at.isoformat(),
            }
        )

    @classmethod
    def from_bytes(cls, payload: bytes) -> RecordEvent:
        data = orjson.loads(payload)
        data["id"] = data.pop("outbox_id")
        data["created_at"] = datetime.fromisoformat(data["created_at"])
        return cls.from_row(data)
