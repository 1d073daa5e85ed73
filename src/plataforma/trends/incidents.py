"""The one reader of the incidents file `plataforma trends detect` takes (DESIGN §5).

Columns: `source_ref, agency, occurred_at, crime_type, state, municipality, latitude,
longitude`; extra columns are ignored. Values are read with the model's code tables (state as
code or name, municipality as 5-digit code or name within the state, crime type as snake_case
or Spanish label, or a 2026-catalogue label mapped by `catalogue.py`). A row that cannot be
counted is *rejected* with `field: reason`; a row counted with a caveat is *flagged*. Nothing
here raises for a bad row: only a file without the needed columns is an error.

Times: `occurred_at` is the local moment of the place; a naive time is read on the state's
clock and an offset time converted to it, so an incident at 23:30 in Tijuana counts on the
day it happened there. A date alone counts for its day, a `YYYY-MM` only for monthly series.
Coordinates are kept raw (NaN when absent); cleaning them is `places.py`'s job.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from plataforma.model.codes import (
    CodeError,
    Municipality,
    all_crime_types,
    resolve_municipality,
    resolve_state,
)
from plataforma.model.values import InvalidValue, parse_datetime, parse_partial_date
from plataforma.textfiles import SourceError, detect_encoding
from plataforma.trends.catalogue import CatalogueMap, load_catalogue_map
from plataforma.trends.periods import Period

__all__ = [
    "COLUMNS",
    "IncidentTable",
    "Rejected",
    "TrendsInputError",
    "read_incident_rows",
    "read_incidents",
]

COLUMNS = (
    "source_ref",
    "agency",
    "occurred_at",
    "crime_type",
    "state",
    "municipality",
    "latitude",
    "longitude",
)
REQUIRED = ("occurred_at", "crime_type")
# A clock a day ahead of the server is a time zone, not a future crime.
FUTURE_TOLERANCE = dt.timedelta(days=1)
_NAIVE_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


class TrendsInputError(ValueError):
    """The file cannot be used at all: unreadable, no header, or a needed column missing."""


@dataclass(frozen=True)
class Rejected:
    """A row not counted: its line in the file, `field: reason`, and the row as written."""

    line: int
    reason: str
    original: Mapping[str, str]


@dataclass
class IncidentTable:
    """Counted incidents as columns (one entry per incident), plus what was set aside."""

    line: npt.NDArray[np.int64]
    day: npt.NDArray[np.datetime64]
    crime: npt.NDArray[np.int16]  # index into `all_crime_types()`
    state: npt.NDArray[np.str_]
    municipality: npt.NDArray[np.str_]  # "" when unknown
    latitude: npt.NDArray[np.float64]
    longitude: npt.NDArray[np.float64]
    month_only: npt.NDArray[np.bool_]  # only the month is known (counts in monthly series)
    rejected: list[Rejected] = field(default_factory=list)
    flagged: list[Rejected] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    # 2026-catalogue labels counted as their 2015 subtipo, with how many rows each.
    mapped: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.line)

    def reasons(self) -> dict[str, int]:
        """How many rows were rejected or flagged, by reason with the value left out."""
        counts: dict[str, int] = {}
        for kind, items in (("rejected", self.rejected), ("flagged", self.flagged)):
            for item in items:
                key = f"{kind}: {item.reason.split(' (')[0].split(':', 1)[0]}"
                counts[key] = counts.get(key, 0) + 1
        return counts


@cache
def _crime_position() -> dict[str, int]:
    return {ct.code: i for i, ct in enumerate(all_crime_types())}


@cache
def _zone(state: str) -> ZoneInfo:
    return ZoneInfo(resolve_state(state).tz)


class _RowReader:
    """Turns one row into counted columns or a reason; caches every code lookup."""

    def __init__(self, today: dt.date, period: Period, catalogue: CatalogueMap) -> None:
        self.latest = today + FUTURE_TOLERANCE
        self.period = period
        self.catalogue = catalogue
        self._states: dict[str, str | CodeError] = {}
        self._crimes: dict[str, int | CodeError] = {}
        self._munis: dict[tuple[str, str], Municipality | CodeError] = {}
        self.mapped: dict[str, int] = {}

    def state(self, value: str) -> str:
        found = self._states.get(value)
        if found is None:
            try:
                found = resolve_state(value).code
            except (CodeError, ValueError) as error:
                found = CodeError(str(error))
            self._states[value] = found
        if isinstance(found, CodeError):
            raise found
        return found

    def crime(self, value: str) -> int:
        found = self._crimes.get(value)
        if found is None:
            try:
                found = _crime_position()[self.catalogue.resolve(value).code]
            except CodeError as error:
                found = error
            self._crimes[value] = found
        if isinstance(found, CodeError):
            raise found
        if self.catalogue.is_mapped(value):
            self.mapped[value] = self.mapped.get(value, 0) + 1
        return found

    def municipality(self, value: str, state: str | None) -> Municipality:
        key = (value, state or "")
        found = self._munis.get(key)
        if found is None:
            try:
                found = resolve_municipality(value, state)
            except (CodeError, ValueError) as error:
                found = CodeError(str(error))
            self._munis[key] = found
        if isinstance(found, CodeError):
            raise found
        return found

    def iso_day(self, text: str) -> dt.date:
        """The date of a naive ISO time from its first 10 characters (2024-02-30 is an error)."""
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            raise InvalidValue(f"not a calendar date ({text[:10]!r})") from None

    def day(self, raw: str, state: str) -> tuple[dt.date, bool]:
        """The local date of `raw` and whether only its month is known."""
        text = raw.strip()
        if _NAIVE_ISO.fullmatch(text):
            return self.iso_day(text), False
        if ":" in text:
            moment = parse_datetime(text, _zone(state).key)
            return moment.astimezone(_zone(state)).date(), False
        partial = parse_partial_date(text)
        if partial.month is None:
            raise InvalidValue(f"only the year is known ({raw!r})")
        whole = partial.as_date()
        if whole is not None:
            return whole, False
        if self.period is not Period.MONTH:
            raise InvalidValue(f"only the month is known ({raw!r}), cannot count by {self.period}")
        return dt.date(partial.year, partial.month, 1), True


def _coordinate(raw: str, name: str, flags: list[str]) -> float:
    text = raw.strip()
    if not text:
        return float("nan")
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        flags.append(f"{name}: not a number ({raw!r}), kept empty")
        return float("nan")
    if not np.isfinite(value):
        flags.append(f"{name}: not a finite number ({raw!r}), kept empty")
        return float("nan")
    return value


def _place(reader: _RowReader, state_raw: str, muni_raw: str, flags: list[str]) -> tuple[str, str]:
    """(state code, municipality code or "") or raises with the field that failed."""
    state: str | None = None
    state_error: CodeError | None = None
    if state_raw:
        try:
            state = reader.state(state_raw)
        except CodeError as error:
            state_error = error
    if not muni_raw:
        if state is None:
            raise CodeError(f"state: {state_error}" if state_error else "state: missing")
        return state, ""
    try:
        muni = reader.municipality(muni_raw, state)
    except CodeError as error:
        digits = muni_raw.strip()
        if state is None and digits.isdigit() and len(digits) == 5:
            # A full INEGI code outside the installed catalogue still says its state.
            try:
                state = reader.state(digits[:2])
            except CodeError:
                raise CodeError(f"municipality: {error}") from None
        if state is None:
            raise CodeError(f"state: {state_error or 'missing'}; municipality: {error}") from None
        if digits.isdigit() and len(digits) == 5 and digits[:2] == state:
            flags.append(f"municipality: {digits} is not in the installed catalogue, counted")
            return state, digits
        flags.append(f"municipality: {error}; counted for the state only")
        return state, ""
    if state is None:
        if state_error is not None:
            flags.append(f"state: {state_error}; taken from the municipality")
        return muni.state, muni.code
    return state, muni.code


def check_columns(columns: list[str]) -> None:
    """Raise `TrendsInputError` naming every needed column the header lacks."""
    missing = [c for c in REQUIRED if c not in columns]
    if "state" not in columns and "municipality" not in columns:
        missing.append("state or municipality")
    if missing:
        raise TrendsInputError(f"missing column(s): {', '.join(missing)}")


def read_incident_rows(
    rows: Iterable[tuple[int, Mapping[str, str]]],
    columns: list[str],
    *,
    period: Period = Period.MONTH,
    today: dt.date | None = None,
    catalogue: CatalogueMap | None = None,
) -> IncidentTable:
    """Count rows already split into fields, each with its line number in the source."""
    check_columns(columns)
    reader = _RowReader(today or dt.date.today(), period, catalogue or load_catalogue_map())
    kept: dict[tuple[str, str] | int, tuple[int, ...]] = {}
    cells: list[tuple[int, dt.date, int, str, str, float, float, bool]] = []
    originals: dict[int, Mapping[str, str]] = {}
    rejected: list[Rejected] = []
    flagged: list[Rejected] = []
    for line, row in rows:
        flags: list[str] = []

        def value(name: str, row: Mapping[str, str] = row) -> str:
            return (row.get(name) or "").strip()

        try:
            state, muni = _place(reader, value("state"), value("municipality"), flags)
            crime_raw = value("crime_type")
            if not crime_raw:
                raise CodeError("crime_type: missing")
            try:
                crime = reader.crime(crime_raw)
            except CodeError as error:
                raise CodeError(f"crime_type: {error}") from None
            raw_day = value("occurred_at")
            if not raw_day:
                raise CodeError("occurred_at: missing")
            try:
                day, month_only = reader.day(raw_day, state)
            except InvalidValue as error:
                raise CodeError(f"occurred_at: {error}") from None
            if day > reader.latest:
                raise CodeError(f"occurred_at: in the future ({day.isoformat()})")
        except CodeError as error:
            rejected.append(Rejected(line, str(error), row))
            continue
        lat = _coordinate(value("latitude"), "latitude", flags)
        lon = _coordinate(value("longitude"), "longitude", flags)
        flagged.extend(Rejected(line, reason, row) for reason in flags)
        # A resubmitted incident (same agency and source_ref) counts once: the later row wins.
        ref = value("source_ref")
        key: tuple[str, str] | int = (value("agency"), ref) if ref else line
        previous = kept.get(key)
        if previous is not None:
            rejected.append(
                Rejected(
                    previous[0],
                    f"source_ref: {ref!r} repeated at line {line}, the later row is counted",
                    originals[previous[0]],
                )
            )
        kept[key] = (line,)
        originals[line] = row
        cells.append((line, day, crime, state, muni, lat, lon, month_only))
    live = {v[0] for v in kept.values()}
    cells = [c for c in cells if c[0] in live]
    rejected.sort(key=lambda r: r.line)
    table = _table(cells, rejected, flagged, columns)
    table.mapped = reader.mapped
    return table


def _table(
    cells: list[tuple[int, dt.date, int, str, str, float, float, bool]],
    rejected: list[Rejected],
    flagged: list[Rejected],
    columns: list[str],
) -> IncidentTable:
    if not cells:
        empty = np.array([], dtype=np.int64)
        return IncidentTable(
            line=empty,
            day=np.array([], dtype="datetime64[D]"),
            crime=np.array([], dtype=np.int16),
            state=np.array([], dtype="<U2"),
            municipality=np.array([], dtype="<U5"),
            latitude=np.array([], dtype=np.float64),
            longitude=np.array([], dtype=np.float64),
            month_only=np.array([], dtype=np.bool_),
            rejected=rejected,
            flagged=flagged,
            columns=columns,
        )
    line, day, crime, state, muni, lat, lon, month_only = zip(*cells, strict=True)
    return IncidentTable(
        line=np.array(line, dtype=np.int64),
        day=np.array(day, dtype="datetime64[D]"),
        crime=np.array(crime, dtype=np.int16),
        state=np.array(state, dtype="<U2"),
        municipality=np.array(muni, dtype="<U5"),
        latitude=np.array(lat, dtype=np.float64),
        longitude=np.array(lon, dtype=np.float64),
        month_only=np.array(month_only, dtype=np.bool_),
        rejected=rejected,
        flagged=flagged,
        columns=columns,
    )


def read_incidents(
    path: Path,
    *,
    period: Period = Period.MONTH,
    today: dt.date | None = None,
    catalogue: CatalogueMap | None = None,
    encoding: str | None = None,
    fast: bool = True,
) -> IncidentTable:
    """Read an incidents CSV (UTF-8, cp1252 or latin-1, detected) into counted columns.

    `fast` (the default) reads the file as columns and resolves each distinct value once
    (`incident_columns.py`, about 20× the rows per second); `fast=False` is the row-by-row
    reader, kept as the reference the fast path is tested against.
    """
    try:
        chosen = detect_encoding(path, encoding)
    except SourceError as error:
        raise TrendsInputError(str(error)) from None
    if fast:
        # Imported here: incident_columns builds on this module's row reader.
        from plataforma.trends.incident_columns import read_incident_columns, split_file

        split = split_file(path, chosen)
        if split is not None:
            table = read_incident_columns(split, period=period, today=today, catalogue=catalogue)
            table.rejected = sorted(table.rejected + split.bad, key=lambda r: r.line)
            return table
    with path.open(encoding=chosen, newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise TrendsInputError(f"{path.name} is empty: no header row") from None
        except csv.Error as error:
            raise TrendsInputError(f"{path.name}: unreadable header ({error})") from None
        columns = [name.lstrip("\ufeff").strip().lower() for name in header]
        width = len(columns)

        def rows() -> Iterable[tuple[int, Mapping[str, str]]]:
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    line = reader.line_num
                    bad.append(Rejected(line, f"row: cannot be parsed ({error})", {}))
                    continue
                if not any(c.strip() for c in cells):
                    continue
                line = reader.line_num
                if len(cells) != width:
                    problem = f"row: {len(cells)} fields where the header has {width}"
                    bad.append(Rejected(line, problem, dict(zip(columns, cells, strict=False))))
                    continue
                yield line, dict(zip(columns, cells, strict=True))

        bad: list[Rejected] = []
        table = read_incident_rows(rows(), columns, period=period, today=today, catalogue=catalogue)
    table.rejected = sorted(table.rejected + bad, key=lambda r: r.line)
    return table
