"""The rejects file: each rejected row as the source gave it, with its line and the reason.

``FILE.rejects.csv`` keeps the source header plus ``line`` and ``reason``, so a clerk can fix
the rows in a spreadsheet and resubmit them (without the two extra columns). JSON Lines input
gets ``FILE.rejects.jsonl``: the original object plus ``line`` and ``reason``. The file is
only created when something is rejected, and a stale one from an earlier run is removed first
so it never describes the wrong run.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from plataforma.ingest.batch import Malformed
from plataforma.ingest.readers import FileFormat


def rejects_path(source: Path, fmt: FileFormat) -> Path:
    return source.with_name(f"{source.name}.rejects.{fmt.value}")


def _original(row: Mapping[str, Any] | Malformed) -> Any:
    return getattr(row, "original", row)


class RejectsWriter:
    """Writes rejects lazily to ``path``; ``columns`` is the source header (CSV only)."""

    def __init__(self, path: Path, fmt: FileFormat, columns: list[str] | None = None) -> None:
        self.path = path
        self.format = fmt
        self.columns = columns or []
        self.count = 0
        self._handle: IO[str] | None = None
        self._csv: Any = None
        path.unlink(missing_ok=True)

    def write(self, line: int, row: Mapping[str, Any] | Malformed, reason: str) -> None:
        self.count += 1
        original = _original(row)
        if self.format is FileFormat.JSONL:
            record = dict(original) if isinstance(original, Mapping) else {"raw": original}
            self._open().write(
                json.dumps({**record, "line": line, "reason": reason}, ensure_ascii=False) + "\n"
            )
            return
        self._writer().writerow([*self._cells(original, reason), line, reason])

    def _cells(self, original: Any, reason: str) -> list[str]:
        if isinstance(original, str):  # a broken line: keep it whole in the first column
            return [original.rstrip("\r\n"), *[""] * (len(self.columns) - 1)]
        if isinstance(original, Mapping):
            return [str(original.get(name, "")) for name in self.columns]
        cells = [str(cell) for cell in original]
        width = len(self.columns)
        if len(cells) > width:  # the extras are named in the reason; keep them in the last cell
            cells = [*cells[: width - 1], ",".join(cells[width - 1 :])]
        return cells + [""] * (width - len(cells))

    def _open(self) -> IO[str]:
        if self._handle is None:
            self._handle = self.path.open("w", encoding="utf-8", newline="")
        return self._handle

    def _writer(self) -> Any:
        if self._csv is None:
            self._csv = csv.writer(self._open())
            self._csv.writerow([*self.columns, "line", "reason"])
        return self._csv

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
