"""Write a generated dataset as files: what ``plataforma synth --out DIR`` produces.

Flat record types go to ``<type>.csv`` (lists ``;``-separated, the importer's convention);
types with nested or repeated objects (persons, incidents, detentions, protection orders,
seizures) go to ``<type>.jsonl``, as DESIGN §5 asks. Alongside them:

* ``truth_persons.csv`` — ``record_id, person_id``: which mentions are the same person;
* ``truth_surges.csv`` — the planted anomaly (area, crime type, month, extra incidents);
* ``persons_for_resolve.csv`` — every person mention in ``plataforma resolve persons``'
  input layout, keyed by the same ``record_id`` as the truth;
* ``incidents_for_trends.csv`` — incidents in ``plataforma trends detect``'s input layout.

Every file can be imported with ``plataforma import TYPE FILE``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal

from plataforma.model.records import ENVELOPE_FIELDS, record_model
from plataforma.synth.generate import TRUTH_PERSON, TRUTH_SURGE
from plataforma.synth.mentions import RESOLVE_COLUMNS, person_mentions, resolve_row

CSV_TYPES = frozenset({"agency", "vehicle", "firearm", "warrant"})
TREND_COLUMNS = (
    "source_ref",
    "agency",
    "occurred_at",
    "crime_type",
    "state",
    "municipality",
    "latitude",
    "longitude",
)
_UNSET_ENVELOPE = ENVELOPE_FIELDS - {"source_ref", "agency"}


def file_name(record_type: str) -> str:
    return f"{record_type}.csv" if record_type in CSV_TYPES else f"{record_type}.jsonl"


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


class DatasetWriter:
    """Receives ``generate()``'s batches and appends each to its file."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        out_dir.mkdir(parents=True, exist_ok=True)
        self._handles: dict[str, IO[str]] = {}
        self._csv: dict[str, csv.DictWriter[str]] = {}
        self.counts: dict[str, int] = {}

    def __enter__(self) -> DatasetWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _writer(
        self, name: str, columns: tuple[str, ...] | list[str], strict: bool = False
    ) -> csv.DictWriter[str]:
        """A CSV writer for ``name``; ``strict`` refuses keys outside ``columns`` (slower)."""
        if name not in self._csv:
            handle = self._handles[name] = (self.out_dir / name).open(
                "w", newline="", encoding="utf-8"
            )
            extras: Literal["raise", "ignore"] = "raise" if strict else "ignore"
            self._csv[name] = csv.DictWriter(handle, columns, extrasaction=extras)
            self._csv[name].writeheader()
        return self._csv[name]

    def write(self, record_type: str, rows: list[dict[str, Any]]) -> None:
        if record_type == TRUTH_PERSON:
            self._writer("truth_persons.csv", ("record_id", "person_id")).writerows(rows)
            return
        if record_type == TRUTH_SURGE:
            self._writer("truth_surges.csv", list(rows[0])).writerows(rows)
            return
        self.counts[record_type] = self.counts.get(record_type, 0) + len(rows)
        if record_type in CSV_TYPES:
            columns = [
                f for f in record_model(record_type).model_fields if f not in _UNSET_ENVELOPE
            ]
            writer = self._writer(file_name(record_type), columns, strict=True)
            writer.writerows({k: _cell(v) for k, v in row.items()} for row in rows)
        else:
            name = file_name(record_type)
            if name not in self._handles:
                self._handles[name] = (self.out_dir / name).open("w", encoding="utf-8")
            self._handles[name].writelines(
                json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n" for row in rows
            )
        self._side_files(record_type, rows)

    def _side_files(self, record_type: str, rows: list[dict[str, Any]]) -> None:
        resolve = self._writer("persons_for_resolve.csv", RESOLVE_COLUMNS)
        resolve.writerows(
            resolve_row(record_id, row["agency"], person)
            for row in rows
            for record_id, person in person_mentions(record_type, row)
        )
        if record_type == "incident":
            trends = self._writer("incidents_for_trends.csv", TREND_COLUMNS)
            trends.writerows(
                {
                    "source_ref": row["source_ref"],
                    "agency": row["agency"],
                    "occurred_at": row["occurred_at"],
                    "crime_type": row["crime_types"][0],
                    "state": row["place"]["state"],
                    "municipality": row["place"]["municipality"],
                    "latitude": row["place"]["latitude"],
                    "longitude": row["place"]["longitude"],
                }
                for row in rows
            )

    def close(self) -> None:
        for handle in self._handles.values():
            handle.close()
        self._handles.clear()
        self._csv.clear()
