"""Errors the services raise; the web layer turns each into an RFC 9457 problem.

A neutral module: records, security and ingest all raise these, and none of them has to
import another's package to do so (which is what made ``records`` and ``security`` a cycle).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError


@dataclass(frozen=True, slots=True)
class FieldError:
    pointer: str
    detail: str

    def reason(self) -> str:
        """``field: problem``, the form the rejects file uses."""
        field = self.pointer.lstrip("/").replace("/", ".") or "record"
        return f"{field}: {self.detail}"


class RecordError(Exception):
    status = 400
    title = "Bad request"


class InvalidRecord(RecordError):
    status = 422
    title = "Invalid record"

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(e.reason() for e in errors))
        self.errors = errors


class NotFound(RecordError):
    status = 404
    title = "Not found"


class Forbidden(RecordError):
    status = 403
    title = "Forbidden"


class Conflict(RecordError):
    status = 412
    title = "Precondition failed"


def field_errors(error: ValidationError, prefix: str = "") -> list[FieldError]:
    """Pydantic's errors as JSON pointers and plain reasons."""
    out = []
    for item in error.errors(include_url=False):
        path = "/".join(str(part) for part in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        out.append(FieldError(f"{prefix}/{path}" if path else prefix or "/", message))
    return out
