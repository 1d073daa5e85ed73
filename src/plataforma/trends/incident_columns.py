"""The incidents file read as columns: the same table and rejects as the row reader, faster.

The row reader (`incidents.read_incident_rows`) turns every row into a dict and resolves each
value in Python: about 50k rows/s. Here the file is split into columns (pyarrow's CSV reader
when the file has no quote characters, Python's csv module in chunks otherwise, so quoted
fields and their line numbers follow exactly the same rules), and every lookup runs once per
*distinct* value with the very functions of the row reader, then is gathered back onto the rows
as arrays. The high-cardinality columns take a vectorised path for their common shape (an ISO
date, a plain decimal coordinate) and the row reader's code for everything else, so a value
means the same thing on both paths. `tests/trends/test_incident_columns.py` compares both on
files full of bad rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import mmap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from plataforma.model.codes import CodeError
from plataforma.model.values import InvalidValue
from plataforma.trends.catalogue import CatalogueMap, load_catalogue_map
from plataforma.trends.incidents import (
    IncidentTable,
    Rejected,
    _coordinate,
    _place,
    _RowReader,
    check_columns,
)
from plataforma.trends.periods import Period

__all__ = ["SplitFile", "read_incident_columns", "split_file"]

T = TypeVar("T")
IntArray = npt.NDArray[np.int64]
_CHUNK_ROWS = 500_000
# Python's csv module refuses longer fields; pyarrow would accept them.
_CSV_FIELD_LIMIT = csv.field_size_limit()
_ISO_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?$"
_PLAIN_NUMBER = r"^-?[0-9]{1,12}(?:\.[0-9]{1,20})?$"
# Values whose first and last characters are printable ASCII: Python's strip() leaves them as
# they are, so only the others need Python to strip them.
_NO_EDGE_SPACE = r"^(?:[!-~].*[!-~]|[!-~])$"


@dataclass
class SplitFile:
    """The file as stripped string columns, each row's line, and rows that could not be split."""

    columns: list[str]
    raw: dict[str, pa.Array]  # as written (for the rejects file)
    values: dict[str, pa.Array]  # stripped, as the row reader's `value()` sees them
    line: IntArray
    bad: list[Rejected]


def _strip(array: pa.Array) -> pa.Array:
    """Python's str.strip() on every value; Python only touches values with odd edges."""
    plain = pc.match_substring_regex(array, _NO_EDGE_SPACE)
    plain = pc.or_(plain, pc.equal(array, ""))
    if pc.all(plain).as_py():
        return array
    odd = np.flatnonzero(~plain.to_numpy(zero_copy_only=False))
    values = array.to_pylist()
    for i in odd:
        values[i] = values[i].strip()
    return pa.array(values, pa.string())


def _quote_free(path: Path) -> bool:
    """True when pyarrow's splitting is Python's: no quotes, NULs or lone carriage returns."""
    with path.open("rb") as handle:
        if path.stat().st_size == 0:
            return True
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            if data.find(b'"') >= 0 or data.find(b"\x00") >= 0:
                return False
            carriage = data.find(b"\r")
            if carriage < 0:
                return True
            # Count \r and \r\n in one pass each (C speed): equal means every \r ends a line.
            whole = data[:]
            return whole.count(b"\r") == whole.count(b"\r\n")


def _header(path: Path, encoding: str) -> list[str] | None:
    with path.open(encoding=encoding, newline="") as handle:
        try:
            header = next(csv.reader(handle))
        except (StopIteration, csv.Error):
            return None
    return [name.lstrip("\ufeff").strip().lower() for name in header]


def _arrow_split(path: Path, encoding: str, columns: list[str], threads: bool) -> SplitFile:
    invalid: list[tuple[int | None, str]] = []

    def keep_aside(row: pacsv.InvalidRow) -> str:
        invalid.append((row.number, row.text))
        return "skip"

    names = [f"c{i}" for i in range(len(columns))]
    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(
            use_threads=threads, skip_rows=1, column_names=names, encoding=encoding
        ),
        parse_options=pacsv.ParseOptions(
            quote_char=False, invalid_row_handler=keep_aside, ignore_empty_lines=False
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    if invalid and threads:
        # Line numbers of skipped rows are only known to a single-threaded read.
        return _arrow_split(path, encoding, columns, threads=False)
    raw = {
        name: table.column(key).combine_chunks() for name, key in zip(columns, names, strict=True)
    }
    total = table.num_rows + len(invalid)
    skipped = np.array([number for number, _ in invalid], dtype=np.int64)
    line = np.setdiff1d(np.arange(2, total + 2, dtype=np.int64), skipped)
    bad = []
    for number, text in invalid:
        cells = next(csv.reader([text]), [])
        if not any(c.strip() for c in cells):
            continue
        problem = f"row: {len(cells)} fields where the header has {len(columns)}"
        bad.append(Rejected(int(number or 0), problem, dict(zip(columns, cells, strict=False))))
    return _finish(columns, raw, line, bad)


def _python_split(path: Path, encoding: str, columns: list[str]) -> SplitFile:
    width = len(columns)
    parts: dict[str, list[pa.Array]] = {name: [] for name in columns}
    lines: list[int] = []
    bad: list[Rejected] = []
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        chunk: list[list[str]] = []
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as error:
                bad.append(Rejected(reader.line_num, f"row: cannot be parsed ({error})", {}))
                continue
            if len(cells) != width:
                if any(c.strip() for c in cells):
                    problem = f"row: {len(cells)} fields where the header has {width}"
                    named = dict(zip(columns, cells, strict=False))
                    bad.append(Rejected(reader.line_num, problem, named))
                continue
            lines.append(reader.line_num)
            chunk.append(cells)
            if len(chunk) >= _CHUNK_ROWS:
                _flush(chunk, columns, parts)
        _flush(chunk, columns, parts)
    raw = {
        name: pa.concat_arrays(found) if found else pa.array([], pa.string())
        for name, found in parts.items()
    }
    return _finish(columns, raw, np.array(lines, dtype=np.int64), bad)


def _flush(chunk: list[list[str]], columns: list[str], parts: dict[str, list[pa.Array]]) -> None:
    if not chunk:
        return
    for name, values in zip(columns, zip(*chunk, strict=True), strict=True):
        parts[name].append(pa.array(values, pa.string()))
    chunk.clear()


def _finish(
    columns: list[str], raw: dict[str, pa.Array], line: IntArray, bad: list[Rejected]
) -> SplitFile:
    """Strip every column and drop the rows that are blank in every column (as the row path)."""
    values = {name: _strip(array) for name, array in raw.items()}
    if line.size:
        blank = np.ones(len(line), dtype=np.bool_)
        for array in values.values():
            blank &= pc.equal(array, "").to_numpy(zero_copy_only=False)
        if blank.any():
            keep = pa.array(~blank)
            raw = {name: array.filter(keep) for name, array in raw.items()}
            values = {name: array.filter(keep) for name, array in values.items()}
            line = line[~blank]
    return SplitFile(columns, raw, values, line, bad)


def split_file(path: Path, encoding: str) -> SplitFile | None:
    """The file as columns; None when the header cannot be read (the row path says why)."""
    columns = _header(path, encoding)
    if columns is None or len(set(columns)) != len(columns):
        return None
    if _quote_free(path):
        split = _arrow_split(path, encoding, columns, threads=True)
        longest = max(
            (pc.max(pc.utf8_length(a)).as_py() or 0 for a in split.raw.values()), default=0
        )
        if longest <= _CSV_FIELD_LIMIT:
            return split
    return _python_split(path, encoding, columns)


def _per_value(array: pa.Array, resolve: Callable[[str], T]) -> tuple[list[T], IntArray]:
    """`resolve` on each distinct value once; (results, index of each row's result)."""
    encoded = pc.dictionary_encode(array)
    results = [resolve(value) for value in encoded.dictionary.to_pylist()]
    return results, encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)


def _column(split: SplitFile, name: str) -> pa.Array:
    found = split.values.get(name)
    return found if found is not None else pa.array([""] * len(split.line), pa.string())


def _pairs(first: pa.Array, second: pa.Array) -> tuple[list[tuple[str, str]], IntArray]:
    """Distinct (first, second) pairs and each row's pair."""
    a, b = pc.dictionary_encode(first), pc.dictionary_encode(second)
    code = a.indices.to_numpy(zero_copy_only=False).astype(np.int64) * max(
        len(b.dictionary), 1
    ) + b.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    unique, inverse = np.unique(code, return_inverse=True)
    left, right = a.dictionary.to_pylist(), b.dictionary.to_pylist()
    width = max(len(right), 1)
    pairs = [(left[int(c) // width], right[int(c) % width]) for c in unique]
    return pairs, inverse.astype(np.int64)


ObjArray = npt.NDArray[np.object_]


def _gather(results: list[object], index: IntArray) -> ObjArray:
    """Per-value results onto the rows, as an object array."""
    table = np.empty(len(results) + 1, dtype=object)
    table[: len(results)] = results
    gathered: ObjArray = table[index] if index.size else np.empty(0, dtype=object)
    return gathered


def _places(split: SplitFile, reader: _RowReader) -> ObjArray:
    """Per row: a reason (str) or (state, municipality, flags)."""

    def resolve(pair: tuple[str, str]) -> object:
        flags: list[str] = []
        try:
            state, muni = _place(reader, pair[0], pair[1], flags)
        except CodeError as error:
            return str(error)
        return (state, muni, tuple(flags))

    pairs, index = _pairs(_column(split, "state"), _column(split, "municipality"))
    return _gather([resolve(pair) for pair in pairs], index)


def _crimes(split: SplitFile, reader: _RowReader) -> ObjArray:
    """Per row: a reason (str) or (position, mapped label or "")."""

    def resolve(raw: str) -> object:
        if not raw:
            return "crime_type: missing"
        try:
            position = reader.crime(raw)
        except CodeError as error:
            return f"crime_type: {error}"
        return (position, raw if reader.catalogue.is_mapped(raw) else "")

    results, index = _per_value(_column(split, "crime_type"), resolve)
    return _gather(results, index)


def _days(
    split: SplitFile, reader: _RowReader, state: npt.NDArray[np.str_], todo: npt.NDArray[np.bool_]
) -> tuple[ObjArray, npt.NDArray[np.datetime64], npt.NDArray[np.bool_]]:
    """Each row's day and month-only mark, or its reason, for the rows in `todo`."""
    n = len(split.line)
    reasons = np.full(n, "", dtype=object)
    day = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    month_only = np.zeros(n, dtype=np.bool_)
    raw = _column(split, "occurred_at")
    iso = pc.match_substring_regex(raw, _ISO_DAY).to_numpy(zero_copy_only=False)
    for rows, iso_shape in (
        (np.flatnonzero(iso & todo), True),
        (np.flatnonzero(~iso & todo), False),
    ):
        if not rows.size:
            continue
        texts = raw.take(pa.array(rows))
        if iso_shape:
            # The naive ISO shape is read from its first 10 characters, whatever the clock.
            heads = pc.utf8_slice_codeunits(texts, 0, 10)
            results, index = _per_value(heads, lambda text: _day_or_reason(reader, text, ""))
        else:
            pairs, index = _pairs(texts, pa.array(state[rows], pa.string()))
            results = [_day_or_reason(reader, text, place) for text, place in pairs]
        failed_u = np.array([isinstance(f, str) for f in results], dtype=np.bool_)
        reason_u = np.array([f if isinstance(f, str) else "" for f in results], dtype=object)
        day_u = np.array(
            [np.datetime64("NaT") if isinstance(f, str) else f[0] for f in results],  # type: ignore[index]
            dtype="datetime64[D]",
        )
        month_u = np.array([not isinstance(f, str) and f[1] for f in results], dtype=np.bool_)  # type: ignore[index]
        failed = failed_u[index]
        reasons[rows[failed]] = reason_u[index[failed]]
        day[rows] = day_u[index]
        month_only[rows] = month_u[index]
    return reasons, day, month_only


def _day_or_reason(reader: _RowReader, raw: str, state: str) -> object:
    if not raw:
        return "occurred_at: missing"
    try:
        return reader.day(raw, state)
    except InvalidValue as error:
        return f"occurred_at: {error}"


def _coordinates(values: pa.Array, name: str) -> tuple[npt.NDArray[np.float64], ObjArray]:
    """Each row's number (NaN when empty or bad) and its flag ("" when none)."""
    n = len(values)
    number = np.full(n, np.nan)
    flags = np.full(n, "", dtype=object)
    plain = pc.match_substring_regex(values, _PLAIN_NUMBER).to_numpy(zero_copy_only=False)
    fast = np.flatnonzero(plain)
    if fast.size:
        number[fast] = pc.cast(values.take(pa.array(fast)), pa.float64()).to_numpy()
    rest = np.flatnonzero(~plain)
    if rest.size:

        def resolve(raw: str) -> tuple[float, str]:
            found: list[str] = []
            return _coordinate(raw, name, found), (found[0] if found else "")

        results, index = _per_value(values.take(pa.array(rest)), resolve)
        number[rest] = np.array([r[0] for r in results], dtype=np.float64)[index]
        flags[rest] = np.array([r[1] for r in results] + [""], dtype=object)[index]
    return number, flags


def _is_reason(values: ObjArray) -> npt.NDArray[np.bool_]:
    """Which rows hold a reason: tested once per distinct result object, not per row."""
    if not len(values):
        return np.zeros(0, dtype=np.bool_)
    ids = np.fromiter((id(v) for v in values), dtype=np.int64, count=len(values))
    _, first, inverse = np.unique(ids, return_index=True, return_inverse=True)
    verdict = np.array([isinstance(values[i], str) for i in first], dtype=np.bool_)
    result: npt.NDArray[np.bool_] = verdict[inverse]
    return result


def read_incident_columns(
    split: SplitFile,
    *,
    period: Period = Period.MONTH,
    today: dt.date | None = None,
    catalogue: CatalogueMap | None = None,
) -> IncidentTable:
    """What `read_incident_rows` gives for the same rows, computed per distinct value."""
    check_columns(split.columns)
    reader = _RowReader(today or dt.date.today(), period, catalogue or load_catalogue_map())
    n = len(split.line)
    reason = np.full(n, "", dtype=object)
    places = _places(split, reader)
    place_failed = _is_reason(places)
    reason[place_failed] = places[place_failed]
    crimes = _crimes(split, reader)
    crime_failed = _is_reason(crimes) & ~place_failed
    reason[crime_failed] = crimes[crime_failed]
    placed = np.flatnonzero(~place_failed & ~crime_failed)
    state = np.full(n, "", dtype="<U2")
    muni = np.full(n, "", dtype="<U5")
    crime = np.zeros(n, dtype=np.int16)
    if placed.size:
        state[placed] = [p[0] for p in places[placed]]
        muni[placed] = [p[1] for p in places[placed]]
        crime[placed] = [c[0] for c in crimes[placed]]
    mapped: dict[str, int] = {}
    for found in crimes[placed]:
        if found[1]:
            mapped[found[1]] = mapped.get(found[1], 0) + 1
    todo = np.zeros(n, dtype=np.bool_)
    todo[placed] = True
    day_reasons, day, month_only = _days(split, reader, state, todo)
    day_failed = todo & (day_reasons != "")
    reason[day_failed] = day_reasons[day_failed]
    latest = np.datetime64(reader.latest, "D")
    future = todo & ~day_failed & (day > latest)
    reason[future] = [f"occurred_at: in the future ({d})" for d in day[future]]
    counted = reason == ""
    return _assemble(
        split,
        counted,
        reason,
        (state, muni, crime, day, month_only),
        places,
        mapped,
    )


def _original(split: SplitFile, row: int) -> dict[str, str]:
    return {name: split.raw[name][row].as_py() for name in split.columns}


def _assemble(
    split: SplitFile,
    counted: npt.NDArray[np.bool_],
    reason: ObjArray,
    cells: tuple[
        npt.NDArray[np.str_],
        npt.NDArray[np.str_],
        npt.NDArray[np.int16],
        npt.NDArray[np.datetime64],
        npt.NDArray[np.bool_],
    ],
    places: ObjArray,
    mapped: dict[str, int],
) -> IncidentTable:
    state, muni, crime, day, month_only = cells
    line = split.line
    rejected = [
        Rejected(int(line[row]), str(reason[row]), _original(split, int(row)))
        for row in np.flatnonzero(~counted)
    ]
    rows = np.flatnonzero(counted)
    lat, lat_flag = _coordinates(_column(split, "latitude").take(pa.array(rows)), "latitude")
    lon, lon_flag = _coordinates(_column(split, "longitude").take(pa.array(rows)), "longitude")
    flagged: list[Rejected] = []
    place_flags = [places[row][2] for row in rows]
    has_flag = np.flatnonzero(
        np.array([bool(f) for f in place_flags], dtype=np.bool_)
        | (lat_flag != "")
        | (lon_flag != "")
    )
    for k in has_flag:
        original = _original(split, int(rows[k]))
        for text in (*place_flags[k], lat_flag[k], lon_flag[k]):
            if text:
                flagged.append(Rejected(int(line[rows[k]]), text, original))
    live, superseded = _latest_of_each(split, rows)
    rejected += superseded
    rejected.sort(key=lambda r: r.line)
    keep = live
    table = IncidentTable(
        line=line[rows][keep],
        day=day[rows][keep],
        crime=crime[rows][keep],
        state=state[rows][keep],
        municipality=muni[rows][keep],
        latitude=lat[keep],
        longitude=lon[keep],
        month_only=month_only[rows][keep],
        rejected=rejected,
        flagged=flagged,
        columns=split.columns,
    )
    table.mapped = mapped
    return table


def _latest_of_each(
    split: SplitFile, rows: IntArray
) -> tuple[npt.NDArray[np.bool_], list[Rejected]]:
    """A resubmitted (agency, source_ref) counts once: the later row; the earlier are rejected."""
    live = np.ones(len(rows), dtype=np.bool_)
    refs = _column(split, "source_ref").take(pa.array(rows))
    with_ref = np.flatnonzero(pc.not_equal(refs, "").to_numpy(zero_copy_only=False))
    if with_ref.size < 2:
        return live, []
    agencies = _column(split, "agency").take(pa.array(rows[with_ref]))
    _, key = _pairs(agencies, refs.take(pa.array(with_ref)))
    order = np.argsort(key, kind="stable")
    same = key[order][1:] == key[order][:-1]
    earlier, later = order[:-1][same], order[1:][same]
    superseded = []
    for first, then in zip(earlier, later, strict=True):
        row, next_row = int(rows[with_ref[first]]), int(rows[with_ref[then]])
        ref = refs[int(with_ref[first])].as_py()
        text = f"source_ref: {ref!r} repeated at line {int(split.line[next_row])}"
        superseded.append(
            Rejected(
                int(split.line[row]), f"{text}, the later row is counted", _original(split, row)
            )
        )
    live[with_ref[earlier]] = False
    return live, superseded
