"""``plataforma synth``: a synthetic national dataset, into the store or as files.

The generation lives in :mod:`plataforma.synth`; this module parses options and shows
progress. Without ``--out`` the records go into the configured store through the bulk
importer (as the local administrator, audited) and the ground truth is written to
``<data dir>/synth-truth/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from plataforma.cli.common import console, local_principal, open_platform, out
from plataforma.context import Platform
from plataforma.synth import DatasetWriter, expected_records, generate, load_dataset
from plataforma.synth.generate import TRUTH_PERSON, TRUTH_SURGE, Batch


def _bar() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def _counted(batches: Iterator[Batch], progress: Progress, task: TaskID) -> Iterator[Batch]:
    for record_type, rows in batches:
        if record_type not in (TRUTH_PERSON, TRUTH_SURGE):
            progress.advance(task, len(rows))
        yield record_type, rows


def write_files(scale: int, seed: int, out_dir: Path) -> dict[str, int]:
    """Generate into ``out_dir`` with a progress bar; counts per record type."""
    with _bar() as progress, DatasetWriter(out_dir) as writer:
        task = progress.add_task("generating", total=expected_records(scale))
        for record_type, rows in _counted(generate(scale, seed), progress, task):
            writer.write(record_type, rows)
        progress.update(task, total=progress.tasks[0].completed)
    return writer.counts


def load_into_store(platform: Platform, scale: int, seed: int) -> dict[str, int]:
    """Generate into the store with a progress bar; records read per type."""
    with _bar() as progress:
        task = progress.add_task("loading", total=expected_records(scale))
        done: dict[str, int] = {}

        def on_progress(record_type: str, rows_read: int) -> None:
            done[record_type] = rows_read
            progress.update(
                task, completed=sum(done.values()), description=f"loading {record_type}"
            )

        report = load_dataset(
            platform,
            local_principal(),
            generate(scale, seed),
            truth_dir=platform.settings.data_dir / "synth-truth",
            on_progress=on_progress,
        )
        progress.update(task, total=report.records, completed=report.records)
    if report.rejected:
        console.print(f"[yellow]{report.rejected} generated rows were rejected[/]")
    return {k: s.rows_read for k, s in report.summaries.items()}


def synth(
    scale: Annotated[
        int, typer.Option(min=1, max=10_000_000, help="Number of incidents; other types follow")
    ] = 1000,
    seed: Annotated[int, typer.Option(help="Same seed, same dataset")] = 7,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Write files here instead of loading into the store"),
    ] = None,
) -> None:
    """Generate a synthetic national dataset with its ground truth (who is the same person)."""
    if out_dir is not None:
        counts = write_files(scale, seed, out_dir)
        where = str(out_dir)
    else:
        platform = open_platform()
        try:
            counts = load_into_store(platform, scale, seed)
        finally:
            platform.close()
        where = "the store"
    total = sum(counts.values())
    details = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    out.print(f"{total} records into {where}: {details}")
