"""Load a generated dataset into the store through the bulk importer.

Batches of one record type that arrive one after another are fed to a single
:class:`~plataforma.ingest.bulk.BulkLoader` job, so a dataset becomes one import job per
type, each committing as it goes. Detention records arrive interleaved with the incidents
they come from; they are held back and loaded after the incidents, so each type stays one job.
Ground truth is not a record: it goes to files in ``truth_dir`` when one is given.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plataforma.context import Platform
from plataforma.ingest.bulk import BulkLoader, ImportSummary
from plataforma.security.agencies import forget_agencies
from plataforma.security.principal import Principal
from plataforma.synth.generate import TRUTH_PERSON, TRUTH_SURGE, Batch

Progress = Callable[[str, int], None]
_DEFERRED = frozenset({"detention"})


@dataclass
class LoadReport:
    summaries: dict[str, ImportSummary] = field(default_factory=dict)
    truth_rows: int = 0

    @property
    def records(self) -> int:
        return sum(s.rows_read for s in self.summaries.values())

    @property
    def rejected(self) -> int:
        return sum(s.rejected for s in self.summaries.values())


class _TruthFiles:
    def __init__(self, truth_dir: Path | None) -> None:
        self.truth_dir = truth_dir
        self.rows = 0
        if truth_dir:
            truth_dir.mkdir(parents=True, exist_ok=True)
            (truth_dir / "truth_persons.csv").write_text("record_id,person_id\n")

    def add(self, kind: str, rows: list[dict[str, Any]]) -> None:
        self.rows += len(rows)
        if not self.truth_dir:
            return
        name = "truth_persons.csv" if kind == TRUTH_PERSON else "truth_surges.csv"
        path = self.truth_dir / name
        with path.open("a" if kind == TRUTH_PERSON else "w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, list(rows[0]) if rows else ["record_id", "person_id"])
            if kind == TRUTH_SURGE:
                writer.writeheader()
            writer.writerows(rows)


def load_dataset(
    platform: Platform,
    principal: Principal,
    batches: Iterable[Batch],
    truth_dir: Path | None = None,
    on_progress: Progress | None = None,
) -> LoadReport:
    """Import every record batch of ``batches`` (a ``generate()`` stream) as ``principal``."""
    loader = BulkLoader(platform, principal)
    report = LoadReport()
    truth = _TruthFiles(truth_dir)
    deferred: dict[str, list[dict[str, Any]]] = {}
    stream = iter(batches)
    pending: Batch | None = next(stream, None)
    while pending is not None:
        record_type, rows = pending
        if record_type in (TRUTH_PERSON, TRUTH_SURGE) or record_type in _DEFERRED:
            if record_type in _DEFERRED:
                deferred.setdefault(record_type, []).extend(rows)
            else:
                truth.add(record_type, rows)
            pending = next(stream, None)
            continue
        run = _Run(record_type, rows, stream, truth, deferred)
        _load(loader, report, record_type, run.rows(), on_progress)
        pending = run.next_batch
        if record_type == "agency":
            forget_agencies()
    for record_type, rows in deferred.items():
        _load(loader, report, record_type, iter(rows), on_progress)
    report.truth_rows = truth.rows
    return report


class _Run:
    """The rows of consecutive batches of one type; side batches are routed as they pass."""

    def __init__(
        self,
        record_type: str,
        first: list[dict[str, Any]],
        stream: Iterator[Batch],
        truth: _TruthFiles,
        deferred: dict[str, list[dict[str, Any]]],
    ) -> None:
        self.record_type, self.first, self.stream = record_type, first, stream
        self.truth, self.deferred = truth, deferred
        self.next_batch: Batch | None = None

    def rows(self) -> Iterator[dict[str, Any]]:
        yield from self.first
        for kind, rows in self.stream:
            if kind == self.record_type:
                yield from rows
            elif kind in (TRUTH_PERSON, TRUTH_SURGE):
                self.truth.add(kind, rows)
            elif kind in _DEFERRED:
                self.deferred.setdefault(kind, []).extend(rows)
            else:
                self.next_batch = (kind, rows)
                return


def _load(
    loader: BulkLoader,
    report: LoadReport,
    record_type: str,
    rows: Iterator[dict[str, Any]],
    on_progress: Progress | None,
) -> None:
    def progress(counts: Any) -> None:
        if on_progress:
            on_progress(record_type, counts.rows_read)

    summary = loader.load(
        record_type,
        enumerate(rows, start=1),
        on_progress=progress,
        source=f"synth:{record_type}",
    )
    previous = report.summaries.get(record_type)
    if previous is not None:
        summary = _merge(previous, summary)
    report.summaries[record_type] = summary


def _merge(a: ImportSummary, b: ImportSummary) -> ImportSummary:
    return ImportSummary(
        b.job_id,
        a.rows_read + b.rows_read,
        a.created + b.created,
        a.updated + b.updated,
        a.unchanged + b.unchanged,
        a.rejected + b.rejected,
        a.duplicates + b.duplicates,
        a.seconds + b.seconds,
    )
