"""``plataforma admin reindex-keys``: bring stored records' keys and flags to today's rules.

Run it once after an upgrade that changes how keys are derived (the release notes say so):
records written before keep their old keys until then. It shows progress, commits batch by
batch, can resume after a given record id, and is audited as the local administrator.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from plataforma.cli.common import console, local_principal, open_platform, out
from plataforma.ingest.reindex import BATCH, ReindexSummary, count_records, reindex_keys
from plataforma.model.records import RECORD_TYPES


def reindex_keys_command(
    record_type: Annotated[
        list[str] | None,
        typer.Option("--type", help="Only these record types (repeat); default: all"),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count what would change")] = False,
    after: Annotated[str, typer.Option(help="Resume after this record id")] = "",
    batch: Annotated[int, typer.Option(min=1, max=50_000, help="Records per batch")] = BATCH,
) -> None:
    """Re-derive inquiry keys and flags of stored records (no new versions are made)."""
    types = list(record_type or [])
    unknown = sorted(set(types) - set(RECORD_TYPES))
    if unknown:
        console.print(f"[red]--type: unknown record type {', '.join(unknown)}[/red]")
        raise typer.Exit(2)
    platform = open_platform()
    try:
        total = count_records(platform, types)
        with Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("reindexing", total=total)

            def advance(summary: ReindexSummary) -> None:
                progress.update(task, completed=summary.read)

            summary = reindex_keys(
                platform,
                local_principal(),
                types,
                after=after,
                dry_run=dry_run,
                batch=batch,
                on_batch=advance,
            )
    finally:
        platform.close()
    table = Table(title="would change (dry run)" if dry_run else "reindexed")
    table.add_column("")
    table.add_column("count", justify="right")
    table.add_row("records read", str(summary.read))
    table.add_row("records whose keys or flags changed", str(summary.changed))
    table.add_row("records that no longer validate (kept as they were)", str(summary.failed))
    table.add_row("subscription skeleton keys added", str(summary.subscription_keys_added))
    out.print(table)
    if summary.failed:
        console.print("[yellow]some records no longer validate: see the log for their ids[/yellow]")
