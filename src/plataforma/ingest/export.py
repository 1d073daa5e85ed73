"""Export a record type as CSV or JSON Lines, streamed in id order, audited as an export.

CSV columns are fixed by the record model, not by the rows found, so a file is written as it
is read (cursor pages of the store) and two exports of the same type always line up. Nested
objects become dotted columns, lists of plain values are ``;``-joined (what the importer
splits), and lists of objects are JSON text (what the importer decodes): an export imports
back as it was.
"""

from __future__ import annotations

import csv
import json
import types
import typing
from collections.abc import Iterator
from functools import cache
from typing import IO, Any

from pydantic import BaseModel

from plataforma.context import Platform
from plataforma.ingest.readers import FileFormat
from plataforma.model.envelope import Envelope
from plataforma.model.records import ENVELOPE_FIELDS, record_model
from plataforma.records.errors import Forbidden
from plataforma.records.service import facts
from plataforma.security import policy
from plataforma.security.audit import AuditAction, AuditEvent, Outcome
from plataforma.security.principal import Principal
from plataforma.store import reader

PAGE = 1000
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


def _pages(platform: Platform, record_type: str) -> Iterator[Envelope]:
    after: str | None = None
    while True:
        with platform.engine.connect() as conn:
            page = reader.list_records(conn, record_type, after=after, limit=PAGE)
        yield from page
        if len(page) < PAGE:
            return
        after = page[-1].id


def export(
    platform: Platform,
    principal: Principal,
    record_type: str,
    out: IO[str],
    fmt: FileFormat,
    purpose: policy.Purpose,
) -> int:
    """Write every ``record_type`` record ``principal`` may read to ``out``; returns the count."""
    record_model(record_type)  # unknown types fail before anything is written
    decision = policy.can_export(principal, purpose)
    if not decision:
        _audit(
            platform, principal, record_type, purpose, Outcome.DENIED, {"reason": decision.reason}
        )
        raise Forbidden(decision.reason)
    columns = export_columns(record_type)
    writer = csv.writer(out) if fmt is FileFormat.CSV else None
    if writer is not None:
        writer.writerow(columns)
    count = 0
    for record in _pages(platform, record_type):
        if not policy.can_read(principal, facts(record), purpose):
            continue
        payload = as_payload(record)
        if writer is not None:
            flat = dict(_flatten(payload))
            writer.writerow([_cell(flat.get(column)) for column in columns])
        else:
            out.write(json.dumps(payload, ensure_ascii=False) + "\n")
        count += 1
    _audit(platform, principal, record_type, purpose, Outcome.OK, {"records": count, "format": fmt})
    return count


def _audit(
    platform: Platform,
    principal: Principal,
    record_type: str,
    purpose: policy.Purpose,
    outcome: Outcome,
    detail: dict[str, Any],
) -> None:
    platform.audit.record(
        AuditEvent(
            principal.username,
            principal.agency,
            AuditAction.EXPORT,
            outcome,
            record_type,
            purpose=str(purpose),
            source_ip=principal.source_ip,
            detail=detail,
        )
    )
    platform.audit.flush()
