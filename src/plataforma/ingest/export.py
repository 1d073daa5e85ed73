"""Export a record type as CSV or JSON Lines, streamed in id order, audited as an export.

CSV columns are fixed by the record model, not by the rows found, so a file is written as it
is read (cursor pages of the store) and two exports of the same type always line up. Nested
objects become dotted columns, lists of plain values are ``;``-joined (what the importer
splits), and lists of objects are JSON text (what the importer decodes): an export imports
back as it was.

One path serves the CLI (``plataforma export``) and the API (``GET /api/v1/exports``):
:func:`export_lines` yields the file line by line from pages filtered by the read policy in
SQL, and audits one EXPORT event when the stream ends, however it ends.
"""

from __future__ import annotations

import csv
import io
import json
import types
import typing
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from functools import cache
from typing import IO, Any

from pydantic import BaseModel

from plataforma.context import Platform
from plataforma.ingest.readers import FileFormat
from plataforma.model.envelope import Envelope
from plataforma.model.records import ENVELOPE_FIELDS, record_model
from plataforma.records.errors import Forbidden
from plataforma.records.service import RecordService
from plataforma.records.visibility import visible_clause
from plataforma.security import policy
from plataforma.security.audit import AuditAction, AuditEvent, Outcome
from plataforma.security.principal import Principal
from plataforma.store import reader

PAGE = 1000
# How many exported ids the audit event lists; beyond it the event keeps the count, the
# filters and the first and last id, from which the id-ordered set can be rebuilt.
AUDITED_IDS = 10_000
ENVELOPE_COLUMNS = [
    "source_ref",
    "agency",
    "marking",
    "restricted_file",
    "status",
    "valid_until",
    "purge_after",
]
assert set(ENVELOPE_COLUMNS) == ENVELOPE_FIELDS


def _single_model(annotation: Any) -> type[BaseModel] | None:
    """The model class of a field typed ``Model`` or ``Model | None``; lists do not count."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        models = [_single_model(arg) for arg in typing.get_args(annotation)]
        found = [m for m in models if m is not None]
        return found[0] if len(found) == 1 else None
    return None


def _columns_of(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    for name, info in model.model_fields.items():
        if not prefix and name in ENVELOPE_FIELDS:
            continue
        nested = _single_model(info.annotation)
        if nested is not None:
            yield from _columns_of(nested, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}"


@cache
def export_columns(record_type: str) -> list[str]:
    """``id`` and ``version`` (ignored on import), the envelope, then the content."""
    return ["id", "version", *ENVELOPE_COLUMNS, *_columns_of(record_model(record_type))]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        plain = all(not isinstance(v, dict | list) and ";" not in str(v) for v in value)
        return ";".join(str(v) for v in value) if plain else json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _flatten(data: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in data.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def as_payload(record: Envelope) -> dict[str, Any]:
    """What the record was submitted as, plus its id and version: one exported row."""
    envelope = record.model_dump(mode="json", include=set(ENVELOPE_COLUMNS) | {"id", "version"})
    return {**envelope, **record.data}


class RowFormat:
    """The lines of an export file in ``fmt``: a header (CSV only), then one line a record."""

    def __init__(self, record_type: str, fmt: FileFormat) -> None:
        self.fmt = fmt
        self.columns = export_columns(record_type)
        self._buffer = io.StringIO()
        self._csv = csv.writer(self._buffer)

    def header(self) -> str | None:
        return self._csv_line(self.columns) if self.fmt is FileFormat.CSV else None

    def line(self, record: Envelope) -> str:
        payload = as_payload(record)
        if self.fmt is FileFormat.CSV:
            flat = dict(_flatten(payload))
            return self._csv_line([_cell(flat.get(column)) for column in self.columns])
        return json.dumps(payload, ensure_ascii=False) + "\n"

    def _csv_line(self, cells: list[str]) -> str:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._csv.writerow(cells)
        return self._buffer.getvalue()


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """Which records of the type to export (all when empty)."""

    agency: str | None = None
    state: str | None = None
    updated_since: datetime | None = None

    def audited(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items() if v is not None}


def _pages(
    platform: Platform,
    principal: Principal,
    purpose: policy.Purpose,
    record_type: str,
    where: ExportFilter,
) -> Iterator[Envelope]:
    """The visible records in id order; a connection per page, so none is held while a slow
    client reads the stream."""
    clause = visible_clause(policy.visibility(principal, purpose))
    after: str | None = None
    while True:
        with platform.engine.connect() as conn:
            page = reader.list_records(
                conn,
                record_type,
                after=after,
                limit=PAGE,
                agency=where.agency,
                state=where.state,
                updated_since=where.updated_since,
                visible=clause,
            )
        yield from RecordService.readable(principal, page, purpose)
        if len(page) < PAGE:
            return
        after = page[-1].id


def authorise_export(
    platform: Platform,
    principal: Principal,
    record_type: str,
    purpose: policy.Purpose | None,
    where: ExportFilter,
) -> policy.Purpose:
    """:func:`policy.can_export`, audited when refused; the purpose the export runs under."""
    record_model(record_type)  # unknown types fail before anything is written
    decision = policy.can_export(principal, purpose)
    if not decision or purpose is None:
        detail = {"reason": decision.reason, "filters": where.audited()}
        _audit(platform, principal, record_type, purpose, Outcome.DENIED, detail)
        raise Forbidden(decision.reason)
    return purpose


def export_lines(
    platform: Platform,
    principal: Principal,
    record_type: str,
    fmt: FileFormat,
    purpose: policy.Purpose,
    where: ExportFilter | None = None,
) -> Iterator[str]:
    """The export file, line by line, of the records ``principal`` may read.

    Call :func:`authorise_export` first. The EXPORT event is written when the stream ends:
    with ``complete: false`` if the reader stopped early (a dropped connection), since the
    rows sent until then have left the platform all the same.
    """
    where = where or ExportFilter()
    rows = RowFormat(record_type, fmt)
    header = rows.header()
    ids: list[str] = []
    count, first, last, complete = 0, None, None, False
    try:
        if header is not None:
            yield header
        for record in _pages(platform, principal, purpose, record_type, where):
            yield rows.line(record)
            count += 1
            first, last = first or record.id, record.id
            if len(ids) < AUDITED_IDS:
                ids.append(record.id)
        complete = True
    finally:
        detail: dict[str, Any] = {
            "records": count,
            "format": str(fmt),
            "filters": where.audited(),
            "complete": complete,
            "first_id": first,
            "last_id": last,
            "ids": ids,
            "ids_truncated": count > len(ids),
        }
        _audit(platform, principal, record_type, purpose, Outcome.OK, detail)


def export(
    platform: Platform,
    principal: Principal,
    record_type: str,
    out: IO[str],
    fmt: FileFormat,
    purpose: policy.Purpose,
    where: ExportFilter | None = None,
) -> int:
    """Write every ``record_type`` record ``principal`` may read to ``out``; returns the count."""
    where = where or ExportFilter()
    purpose = authorise_export(platform, principal, record_type, purpose, where)
    count = 0
    for line in export_lines(platform, principal, record_type, fmt, purpose, where):
        out.write(line)
        count += 1
    return count - (1 if fmt is FileFormat.CSV else 0)


def _audit(
    platform: Platform,
    principal: Principal,
    record_type: str,
    purpose: policy.Purpose | None,
    outcome: Outcome,
    detail: dict[str, Any],
) -> None:
    platform.audit.record(
        AuditEvent.of(
            principal,
            AuditAction.EXPORT,
            outcome,
            record_type=record_type,
            purpose=purpose,
            detail=detail,
        )
    )
    platform.audit.flush()
