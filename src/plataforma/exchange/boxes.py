"""What confirmations and messages share: in/out boxes paged by an opaque id cursor, and the
service errors they raise.

Boxes are ordered newest first by their time-ordered (uuid7) ids; a cursor is the last id of
the page, encoded so callers do not build one. The queries behind a box select only rows the
caller may see, so a page, its cursor and its length say nothing of the rows left out.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime
from enum import StrEnum

from plataforma.errors import FieldError, InvalidRecord, RecordError

_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Box(StrEnum):
    IN = "in"
    OUT = "out"


class Closed(RecordError):
    """The exchange is over (answered, acknowledged); a second answer is a conflict."""

    status = 409
    title = "Conflict"


def invalid(pointer: str, detail: str) -> InvalidRecord:
    return InvalidRecord([FieldError(pointer, detail)])


def encode_cursor(last_id: str) -> str:
    return base64.urlsafe_b64encode(last_id.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    """The id a cursor continues after; a cursor we did not make is a 422 naming it."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid("/cursor", "not a cursor this server gave") from None
    if not _ID.match(raw):
        raise invalid("/cursor", "not a cursor this server gave")
    return raw


def aware(value: datetime) -> datetime:
    """SQLite hands times back without their offset; every time this package stores is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)
