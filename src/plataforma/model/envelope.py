"""The envelope every record carries, whatever its type.

Ownership (``agency``), sensitivity (``marking``, ``restricted_file``) and retention
(``valid_until``, ``purge_after``) live outside the record's content so that the policy,
the purge and the event bus can reason about any record without knowing its type.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class Marking(StrEnum):
    """Paragraph markings, ordered from least to most sensitive."""

    PUBLIC = "PUBLIC"
    SBU = "SBU"
    CONFIDENTIAL = "CONFIDENTIAL"
    SECRET = "SECRET"

    @property
    def rank(self) -> int:
        return _MARKING_RANK[self]


_MARKING_RANK = {m: i for i, m in enumerate(Marking)}


class RestrictedFile(StrEnum):
    """Files that only agencies granted access may see, as NCIC's restricted files."""

    GANG = "gang"
    INFORMANT = "informant"
    JUVENILE = "juvenile"
    PROTECTED_WITNESS = "protected_witness"


class RecordStatus(StrEnum):
    ACTIVE = "active"
    CLEARED = "cleared"
    EXPIRED = "expired"
    PURGED = "purged"


class Flag(BaseModel):
    """A value kept as written but not trusted: never used as a match key."""

    field: str
    problem: str


class Envelope(BaseModel):
    """A stored record as the API returns it: envelope fields plus the typed content."""

    id: str
    record_type: str
    agency: str
    source_ref: str
    marking: Marking
    restricted_file: RestrictedFile | None = None
    state: str | None = Field(default=None, description="INEGI state code of jurisdiction")
    status: RecordStatus = RecordStatus.ACTIVE
    version: int
    entered_by: str
    entered_at: datetime
    updated_at: datetime
    valid_until: date | None = None
    purge_after: date | None = None
    flags: list[Flag] = Field(default_factory=list)
    data: dict[str, Any]
