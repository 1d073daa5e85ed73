"""Read CSV and JSON Lines files into numbered rows, one bad row never stopping the rest.

Mexican government files are often Windows-1252 or Latin-1, not UTF-8, and some start with a
byte-order mark; the encoding is detected unless given. A row the parser cannot split (wrong
number of fields, an unterminated quote, NUL bytes) becomes a :class:`Malformed` row that the
loader rejects with its reason; only a file that cannot be opened or decoded stops the import.
An unterminated quote would otherwise swallow every following line into one field, so the
parser rejects the line where the quote opened and resumes at the next physical line.
"""

from __future__ import annotations

import csv
import json
from collections import deque
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from plataforma.ingest.batch import Malformed, Numbered
from plataforma.ingest.columns import complete, nest_row
from plataforma.textfiles import SourceError


class FileFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


class SourceRow(dict[str, Any]):
    """A row's values, remembering what the file said so a reject can echo it verbatim."""

    __slots__ = ("original",)

    def __init__(self, values: dict[str, Any], original: Any) -> None:
        super().__init__(values)
        self.original = original


def guess_format(path: Path) -> FileFormat:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return FileFormat.CSV
    if suffix in (".jsonl", ".ndjson"):
        return FileFormat.JSONL
    raise SourceError(f"{path.name}: cannot tell the format from '{suffix}'; pass --format")


class _Lines:
    """Physical lines with push-back, so the CSV parser can restart after a broken quote."""

    def __init__(self, handle: IO[str]) -> None:
        self._source = iter(handle)
        self._pending: deque[str] = deque()
        self.number = 0
        self.taken: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._pending.popleft() if self._pending else next(self._source)
        self.number += 1
        self.taken.append(line)
        return line

    def replay_after_first(self, start: int) -> None:
        """Give back every line taken since ``start`` except the first one."""
        self._pending.extendleft(reversed(self.taken[1:]))
        self.number = start
        self.taken = []


def _cells_problem(cells: list[str], width: int) -> str | None:
    if any("\x00" in cell for cell in cells):
        return "row: contains NUL bytes"
    if len(cells) != width:
        return f"row: {len(cells)} fields where the header has {width}"
    return None


def read_csv(handle: IO[str], record_type: str) -> tuple[list[str], Iterator[Numbered]]:
    """The header and the rows of a CSV file opened with ``newline=""``."""
    lines = _Lines(handle)
    try:
        header = next(csv.reader(lines, strict=True))
    except (StopIteration, csv.Error):
        raise SourceError("the file has no readable header row") from None
    header = [name.lstrip("\ufeff").strip() for name in header]
    lines.taken = []
    return header, _csv_rows(lines, header, record_type)


def _csv_rows(lines: _Lines, header: list[str], record_type: str) -> Iterator[Numbered]:
    reader = csv.reader(lines, strict=True)
    while True:
        start = lines.number + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield start, Malformed(f"row: {error} (unterminated quote?)", lines.taken[0])
            lines.replay_after_first(start)
            reader = csv.reader(lines, strict=True)
            continue
        spanned = len(lines.taken) > 1
        if not cells:
            lines.taken = []
            continue
        problem = _cells_problem(cells, len(header))
        if problem and spanned:
            yield start, Malformed(f"{problem} (unterminated quote?)", lines.taken[0])
            lines.replay_after_first(start)
            reader = csv.reader(lines, strict=True)
            continue
        lines.taken = []
        if problem:
            yield start, Malformed(problem, cells)
            continue
        values = dict(zip(header, cells, strict=True))
        yield start, SourceRow(nest_row(record_type, values), cells)


def read_jsonl(handle: IO[str], record_type: str) -> Iterator[Numbered]:
    """One JSON object per line; nested and repeated fields as JSON."""
    for number, line in enumerate(handle, start=1):
        text = line.strip()
        if not text:
            continue
        if "\x00" in text:
            yield number, Malformed("row: contains NUL bytes", text)
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            yield number, Malformed(f"row: not valid JSON ({error.msg})", text)
            continue
        if not isinstance(value, dict):
            yield number, Malformed("row: a JSON object is expected on each line", text)
            continue
        yield number, SourceRow(complete(record_type, dict(value)), value)
