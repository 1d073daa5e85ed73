"""Population for rates per 100,000 inhabitants, from CONAPO's projections.

CONAPO publishes one row per municipality keyed by the 5-digit INEGI code (`CVE`) with one
column per year (`1990` … `2040`); state files use 2-digit keys the same way. States and the
nation are the sums of their municipalities unless the file gives them. A period is divided by
the population of its year; years beyond the file use the nearest year it has.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from plataforma.textfiles import SourceError, detect_encoding
from plataforma.trends.series import NATION, SeriesCube

__all__ = ["Population", "rates_per_100k", "read_population"]

_KEYS = ("cve", "cvegeo", "clave", "code", "cve_mun", "cve_ent")


class PopulationError(ValueError):
    """The population file has no code column or no year columns."""


@dataclass(frozen=True)
class Population:
    """Inhabitants by area code ("00", 2- or 5-digit) and year."""

    years: tuple[int, ...]
    by_area: dict[str, npt.NDArray[np.float64]]

    def of(self, area: str, year: int) -> float | None:
        values = self.by_area.get(area)
        if values is None:
            return None
        position = int(np.clip(year - self.years[0], 0, len(self.years) - 1))
        return float(values[position])


def _number(text: str) -> float:
    cleaned = text.strip().replace(",", "").replace(" ", "")
    return float(cleaned) if cleaned else float("nan")


def read_population(path: Path) -> Population:
    """Read a CONAPO-format file; states and nation are summed when the file has only towns."""
    try:
        encoding = detect_encoding(path)
    except SourceError as error:
        raise PopulationError(str(error)) from None
    with path.open(encoding=encoding, newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        raise PopulationError(f"{path.name}: no rows")
    header = {name.strip().lower().lstrip("\ufeff"): name for name in rows[0]}
    key = next((header[k] for k in _KEYS if k in header), None)
    years = sorted(int(h) for h in header if h.isdigit() and len(h) == 4)
    if key is None or not years:
        raise PopulationError(f"{path.name}: needs a code column (CVE) and year columns (2020…)")
    span = tuple(range(years[0], years[-1] + 1))
    given: dict[str, npt.NDArray[np.float64]] = {}
    for row in rows:
        code = row[key].strip()
        if not code.isdigit():
            continue
        code = code.zfill(5) if len(code) > 2 else code.zfill(2)
        given[code] = np.array([_number(row.get(header.get(str(y), ""), "") or "") for y in span])
    by_area = dict(given)
    # States the file does not give are the sums of their municipalities; the nation likewise.
    for code, values in given.items():
        state = code[:2]
        if len(code) == 5 and state not in given:
            by_area[state] = by_area.get(state, np.zeros(len(span))) + values
    states = [v for c, v in by_area.items() if len(c) == 2 and c != NATION]
    if states and NATION not in by_area:
        by_area[NATION] = np.sum(states, axis=0)
    return Population(span, by_area)


def population_matrix(cube: SeriesCube, population: Population) -> npt.NDArray[np.float64]:
    """Inhabitants of each series' area in each period's year; NaN where unknown."""
    years = np.array([d.year for d in cube.starts()], dtype=np.int64)
    positions = np.clip(years - population.years[0], 0, len(population.years) - 1)
    out = np.full(cube.counts.shape, np.nan)
    for row, area in enumerate(cube.area):
        values = population.by_area.get(str(area))
        if values is not None:
            out[row] = values[positions]
    return out


def rates_per_100k(cube: SeriesCube, population: Population) -> npt.NDArray[np.float64]:
    """Counts per 100,000 inhabitants, NaN where the area's population is unknown."""
    people = population_matrix(cube, population)
    with np.errstate(divide="ignore", invalid="ignore"):
        rates: npt.NDArray[np.float64] = np.where(people > 0, cube.counts / people * 1e5, np.nan)
    return rates
