"""Import one file: pick the reader and encoding, load it, and keep the rejects beside it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from plataforma.context import Platform
from plataforma.ingest.bulk import DEFAULT_BATCH_SIZE, BulkLoader, ImportSummary
from plataforma.ingest.jobs import Counts
from plataforma.ingest.readers import FileFormat, guess_format, read_csv, read_jsonl
from plataforma.ingest.rejects import RejectsWriter, rejects_path
from plataforma.model.records import UnknownRecordType, record_model
from plataforma.security.principal import Principal
from plataforma.textfiles import SourceError, detect_encoding


@dataclass(frozen=True, slots=True)
class FileImport:
    summary: ImportSummary
    encoding: str
    format: FileFormat
    rejects: Path | None


def count_lines(path: Path) -> int:
    """Physical lines, for a progress bar's total (rows can span lines, so it is a bound)."""
    total = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            total += chunk.count(b"\n")
    return total


def import_path(
    platform: Platform,
    principal: Principal,
    record_type: str,
    path: Path,
    *,
    fmt: FileFormat | None = None,
    encoding: str | None = None,
    agency: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int | None = None,
    on_progress: Callable[[Counts], None] | None = None,
) -> FileImport:
    """Import ``path`` as ``record_type``; :class:`SourceError` if it cannot be read at all."""
    try:
        record_model(record_type)
    except UnknownRecordType as error:
        raise SourceError(str(error)) from None
    if not path.is_file():
        raise SourceError(f"no such file: {path}")
    fmt = fmt or guess_format(path)
    encoding = detect_encoding(path, encoding)
    sink: RejectsWriter
    with path.open(encoding=encoding, newline="") as handle:
        if fmt is FileFormat.CSV:
            header, rows = read_csv(handle, record_type)
            sink = RejectsWriter(rejects_path(path, fmt), fmt, header)
        else:
            rows = read_jsonl(handle, record_type)
            sink = RejectsWriter(rejects_path(path, fmt), fmt)
        try:
            summary = BulkLoader(platform, principal, workers).load(
                record_type,
                rows,
                default_agency=agency,
                batch_size=batch_size,
                on_progress=on_progress,
                rejects=sink,
                source=str(path),
            )
        finally:
            sink.close()
    return FileImport(summary, encoding, fmt, sink.path if sink.count else None)
