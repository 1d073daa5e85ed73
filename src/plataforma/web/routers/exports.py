"""``/api/v1/exports``: a record type as CSV or JSON Lines, streamed, for agency systems.

The same file ``plataforma export`` writes, without a shell on the server: every row passes
the read policy (in SQL, then again in Python), the caller needs an exporting role and a
declared purpose, and one EXPORT event records who took which records, why, and with which
filters (a refusal is audited too).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from plataforma.ingest.export import ExportFilter, authorise_export, export_lines
from plataforma.ingest.readers import FileFormat
from plataforma.web.deps import CurrentPrincipal, PlatformDep, PurposeDep
from plataforma.web.routers.records import RecordType

router = APIRouter(prefix="/exports", tags=["exports"])

_MEDIA_TYPES = {FileFormat.CSV: "text/csv; charset=utf-8", FileFormat.JSONL: "application/jsonl"}


@router.get(
    "/{record_type}",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"text/csv": {}, "application/jsonl": {}},
            "description": "The file, streamed: CSV with a header row, or one JSON object a line",
        }
    },
)
def export_records(
    record_type: RecordType,
    principal: CurrentPrincipal,
    platform: PlatformDep,
    purpose: PurposeDep,
    file_format: Annotated[
        FileFormat, Query(alias="format", description="csv or jsonl")
    ] = FileFormat.JSONL,
    agency: Annotated[str | None, Query(max_length=32)] = None,
    state: Annotated[str | None, Query(pattern=r"^\d{2}$")] = None,
    updated_since: Annotated[
        datetime | None, Query(description="Only records changed at or after this time")
    ] = None,
) -> StreamingResponse:
    """Every record of the type the caller may read, in id order; needs ``X-Purpose``.

    Exports need the analyst, intelligence analyst, supervisor or administrator role. The
    columns are those of ``plataforma export`` (and what ``plataforma import`` reads back).
    """
    if updated_since is not None and updated_since.tzinfo is None:
        updated_since = updated_since.replace(tzinfo=UTC)
    where = ExportFilter(
        agency, state, updated_since.astimezone(UTC) if updated_since is not None else None
    )
    chosen = authorise_export(platform, principal, record_type, purpose, where)
    lines = export_lines(platform, principal, record_type, file_format, chosen, where)
    filename = f"{record_type}.{file_format}"
    return StreamingResponse(
        lines,
        media_type=_MEDIA_TYPES[file_format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
