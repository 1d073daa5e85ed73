"""``plataforma import``, ``export`` and ``purge``: records in and out of the store in bulk.

The commands act as the local administrator and every record they touch is audited as such.
The work itself lives in :mod:`plataforma.ingest`; this module only parses options, shows
progress and prints the summary.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import IO, Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from plataforma.cli.common import console, local_principal, open_platform, out
from plataforma.context import Platform
from plataforma.ingest.batch import UnknownAgency
from plataforma.ingest.bulk import DEFAULT_BATCH_SIZE
from plataforma.ingest.export import export
from plataforma.ingest.files import FileImport, count_lines, import_path
from plataforma.ingest.jobs import Counts
from plataforma.ingest.purge import purge_expired
from plataforma.ingest.readers import FileFormat
from plataforma.model.records import UnknownRecordType
from plataforma.records.errors import Forbidden
from plataforma.security.policy import Purpose
from plataforma.textfiles import SourceError


def import_file(
    record_type: Annotated[str, typer.Argument(help="Record type: person, vehicle, incident, …")],
    file: Annotated[Path, typer.Argument(help="CSV or JSON Lines file")],
    encoding: Annotated[
        str | None, typer.Option(help="Text encoding; detected (UTF-8, cp1252, latin-1) if unset")
    ] = None,
    agency: Annotated[
        str | None, typer.Option(help="Owner for rows without an agency column")
    ] = None,
    file_format: Annotated[
        FileFormat | None, typer.Option("--format", help="Override the extension")
    ] = None,
    batch_size: Annotated[
        int, typer.Option(min=1, max=100_000, help="Rows per committed batch")
    ] = DEFAULT_BATCH_SIZE,
    workers: Annotated[
        int | None, typer.Option(min=1, max=64, help="Validation processes (default: cores)")
    ] = None,
) -> None:
    """Import FILE as TYPE records; rejects go to FILE.rejects.csv (or .rejects.jsonl).

    Exit 0 when the file was processed, even with rejects; a rerun updates, never doubles.
    Exit 2 when nothing was imported: an unreadable file, an unknown type or ``--agency``.
    """
    platform = open_platform()
    try:
        total = count_lines(file) if file.is_file() else None
        with _progress() as progress:
            task = progress.add_task("importing", total=total)

            def advance(counts: Counts) -> None:
                progress.update(task, completed=counts.rows_read)

            result = import_path(
                platform,
                local_principal(),
                record_type,
                file,
                fmt=file_format,
                encoding=encoding,
                agency=agency,
                batch_size=batch_size,
                workers=workers,
                on_progress=advance,
            )
            progress.update(task, total=result.summary.rows_read)
    except (SourceError, UnknownAgency) as error:
        console.print(f"[red]cannot import:[/red] {error}")
        raise typer.Exit(2) from None
    finally:
        platform.close()
    out.print(_summary_table(record_type, file, result))
    _print_notes(result)


class _RowsPerSecond(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed or 0:,.0f} rows/s", style="progress.data.speed")


def _progress() -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RowsPerSecond(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def _summary_table(record_type: str, file: Path, result: FileImport) -> Table:
    summary = result.summary
    table = Table(title=f"import {record_type} ← {file.name}")
    table.add_column("rows read", justify="right")
    for name in ("created", "updated", "unchanged", "rejected", "duplicates"):
        table.add_column(name, justify="right")
    table.add_column("rows/s", justify="right")
    table.add_row(
        str(summary.rows_read),
        str(summary.created),
        str(summary.updated),
        str(summary.unchanged),
        str(summary.rejected),
        str(summary.duplicates),
        f"{summary.rows_per_second:,.0f}",
    )
    return table


def _print_notes(result: FileImport) -> None:
    summary = result.summary
    out.print(
        f"encoding {result.encoding}, format {result.format}, job {summary.job_id}",
        soft_wrap=True,
    )
    if result.rejects:
        out.print(f"rejects in {result.rejects}", soft_wrap=True)


def export_records(
    record_type: Annotated[str, typer.Argument(help="Record type to export")],
    file_format: Annotated[FileFormat, typer.Option("--format", help="csv or jsonl")] = (
        FileFormat.CSV
    ),
    out_file: Annotated[Path | None, typer.Option("--out", help="Output file (default stdout)")] = (
        None
    ),
    purpose: Annotated[Purpose, typer.Option(help="Why the data leaves the platform")] = (
        Purpose.ADMINISTRATION
    ),
) -> None:
    """Write every TYPE record as CSV (dotted columns) or JSON Lines, in id order; audited."""
    platform = open_platform()
    try:
        if out_file is None:
            count = _export(platform, record_type, sys.stdout, file_format, purpose)
        else:
            with out_file.open("w", encoding="utf-8", newline="") as handle:
                count = _export(platform, record_type, handle, file_format, purpose)
    except (UnknownRecordType, Forbidden) as error:
        console.print(f"[red]cannot export:[/red] {error}")
        raise typer.Exit(2) from None
    finally:
        platform.close()
    console.print(
        f"exported {count} {record_type} records" + (f" to {out_file}" if out_file else "")
    )


def _export(
    platform: Platform, record_type: str, handle: IO[str], fmt: FileFormat, purpose: Purpose
) -> int:
    return export(platform, local_principal(), record_type, handle, fmt, purpose)


def purge(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count only")] = False,
    before: Annotated[
        str | None, typer.Option(help="Purge records due before this date (default today)")
    ] = None,
) -> None:
    """Remove records whose retention (purge_after) has passed; each removal is audited."""
    try:
        cutoff = date.fromisoformat(before) if before else None
    except ValueError:
        console.print(f"[red]--before must be YYYY-MM-DD, not {before!r}[/red]")
        raise typer.Exit(2) from None
    platform = open_platform()
    try:
        summary = purge_expired(platform, local_principal(), cutoff, dry_run)
    finally:
        platform.close()
    table = Table(
        title=f"{'would purge' if dry_run else 'purged'} (purge_after < {summary.before})"
    )
    table.add_column("record type")
    table.add_column("records", justify="right")
    for record_type, count in sorted(summary.by_type.items()):
        table.add_row(record_type, str(count))
    table.add_row("total", str(summary.total), style="bold")
    out.print(table)
