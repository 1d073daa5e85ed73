"""Crime types as they arrive, read into the one catalogue every series is counted in.

The model's code table is SESNSP's 2015 catalogue (CNSP/38/15), the one its monthly
publication used from 2015 to 2025. In January 2026 SESNSP changed methodology and split some
subtipos (attempted homicide and feminicide became subdelitos of their own). Counting the new
labels as new series would show every homicide series dropping and a new one appearing from
nothing in 2026: a false alarm by construction. So a 2026 label is mapped back onto the 2015
subtipo it used to be counted in (`data/catalogue_2026.csv`, reasons inside), a deployment can
extend the map with its own CSV, and a label found in neither is reported, never guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from plataforma.model.codes import CodeError, CrimeType, resolve_crime_type, slugify

__all__ = ["CATALOGUE_CHANGE", "CatalogueMap", "load_catalogue_map"]

CATALOGUE_CHANGE = dt.date(2026, 1, 1)
"""First month published under SESNSP's 2026 methodology."""


def _rows(text: str) -> list[dict[str, str]]:
    lines = (line for line in io.StringIO(text) if not line.startswith("#"))
    return list(csv.DictReader(lines))


@dataclass
class CatalogueMap:
    """2026 labels (folded to snake_case) → 2015 subtipo, with counts of what was mapped."""

    targets: dict[str, CrimeType]
    notes: dict[str, str]

    def resolve(self, value: str) -> CrimeType:
        """The 2015 subtipo for a code, a Spanish label, or a mapped 2026 label."""
        try:
            return resolve_crime_type(value)
        except CodeError as error:
            target = self.targets.get(slugify(value))
            if target is None:
                if "ambiguous" in str(error):
                    raise
                raise CodeError(
                    f"unknown crime type {value!r}: not in SESNSP's 2015 catalogue nor in the "
                    "2026 catalogue map"
                ) from None
            return target

    def is_mapped(self, value: str) -> bool:
        """Whether `value` is a 2026 label counted as a 2015 subtipo (not a 2015 name)."""
        return slugify(value) in self.targets

    def affected(self) -> frozenset[str]:
        """2015 subtipos whose counts include mapped 2026 labels from `CATALOGUE_CHANGE` on."""
        return frozenset(t.code for t in self.targets.values())


def load_catalogue_map(extra: Path | None = None) -> CatalogueMap:
    """The packaged 2026 map, extended (and overridden label by label) by `extra`."""
    text = resources.files("plataforma.trends").joinpath("data", "catalogue_2026.csv")
    sources = [("catalogue_2026.csv", _rows(text.read_text("utf-8")))]
    if extra is not None:
        sources.append((extra.name, _rows(extra.read_text("utf-8-sig"))))
    targets: dict[str, CrimeType] = {}
    notes: dict[str, str] = {}
    for name, rows in sources:
        for number, row in enumerate(rows, start=1):
            label, code = (row.get("label") or "").strip(), (row.get("code") or "").strip()
            where = f"{name} row {number}"
            if not label or not code:
                raise CodeError(f"{where}: label and code are required")
            try:
                targets[slugify(label)] = resolve_crime_type(code)
            except CodeError as error:
                raise CodeError(f"{where} ({label!r}): {error}") from None
            notes[slugify(label)] = (row.get("note") or "").strip()
    return CatalogueMap(targets, notes)
