"""SESNSP's published monthly incidence (fuero común) read into series.

The state file has one row per state × year × crime modality with twelve month columns:
`Año, Clave_Ent, Entidad, Bien jurídico afectado, Tipo de delito, Subtipo de delito,
Modalidad, Enero … Diciembre`; the municipal file adds `Cve. Municipio, Municipio`. Both are
published as CSV that is often Windows-1252 rather than UTF-8, sometimes with thousands
separators ("1,234") in quoted cells. Headers are matched without accents or case.

Modalities are summed into their subtipo (the series the alarms watch); a subtipo label from
SESNSP's 2026 catalogue is mapped by `catalogue.py`, and a row whose label is in neither
catalogue is set aside with its reason, as is a row with a bad year, state or count. An empty
month cell means "not published yet" (the current year's later months), not zero: the series
end at the last month any row published.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from plataforma.model.codes import CodeError, all_crime_types, slugify
from plataforma.textfiles import SourceError, detect_encoding
from plataforma.trends.catalogue import CatalogueMap, load_catalogue_map
from plataforma.trends.incidents import Rejected, TrendsInputError
from plataforma.trends.periods import Period
from plataforma.trends.series import NATION, AreaLevel, CrimeLevel, SeriesCube, count_long

__all__ = ["OfficialCounts", "read_sesnsp"]

MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
_YEAR = ("ano", "anio", "year")
_STATE = ("clave_ent", "cve_ent", "clave_entidad", "cve_entidad")
_MUNICIPALITY = ("cve_municipio", "clave_municipio", "cve_mun", "clave_mun")
_SUBTIPO = ("subtipo_de_delito", "subtipo")


@dataclass
class OfficialCounts:
    """The series an official file holds, and the rows it could not use."""

    cube: SeriesCube
    municipal: bool
    rejected: list[Rejected] = field(default_factory=list)
    mapped: dict[str, int] = field(default_factory=dict)
    rows: int = 0


def _column(header: list[str], names: tuple[str, ...], required: bool = True) -> int | None:
    folded = [slugify(h) for h in header]
    for name in names:
        if name in folded:
            return folded.index(name)
    if required:
        raise TrendsInputError(f"missing column: {names[0]!r} (columns found: {', '.join(header)})")
    return None


def _count(cell: str) -> float:
    text = cell.strip().replace(",", "").replace(" ", "").replace("\u00a0", "")
    if not text:
        return float("nan")
    value = float(text)
    if value < 0 or value != int(value):
        raise ValueError(f"not a count: {cell!r}")
    return value


def read_sesnsp(
    path: Path,
    *,
    catalogue: CatalogueMap | None = None,
    crime_levels: tuple[CrimeLevel, ...] = tuple(CrimeLevel),
    encoding: str | None = None,
) -> OfficialCounts:
    """Read a SESNSP state or municipal file into monthly series at every area level."""
    catalogue = catalogue or load_catalogue_map()
    try:
        chosen = detect_encoding(path, encoding)
    except SourceError as error:
        raise TrendsInputError(str(error)) from None
    position = {ct.code: i for i, ct in enumerate(all_crime_types())}
    states: list[str] = []
    munis: list[str] = []
    crimes: list[int] = []
    months: list[int] = []
    values: list[float] = []
    rejected: list[Rejected] = []
    mapped: dict[str, int] = {}
    resolved: dict[str, int | str] = {}
    with path.open(encoding=chosen, newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = [h.lstrip("\ufeff").strip() for h in next(reader)]
        except StopIteration:
            raise TrendsInputError(f"{path.name} is empty: no header row") from None
        year_at = _column(header, _YEAR)
        state_at = _column(header, _STATE)
        subtipo_at = _column(header, _SUBTIPO)
        muni_at = _column(header, _MUNICIPALITY, required=False)
        month_at = [_column(header, (m,)) for m in MONTHS]
        rows = 0
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            rows += 1
            line = reader.line_num
            original = dict(zip(header, cells, strict=False))
            if len(cells) != len(header):
                problem = f"row: {len(cells)} fields where the header has {len(header)}"
                rejected.append(Rejected(line, problem, original))
                continue
            label = cells[subtipo_at].strip()  # type: ignore[index]
            if label not in resolved:
                try:
                    resolved[label] = position[catalogue.resolve(label).code]
                except CodeError as error:
                    resolved[label] = f"Subtipo de delito: {error}"
            crime = resolved[label]
            if isinstance(crime, str):
                rejected.append(Rejected(line, crime, original))
                continue
            if catalogue.is_mapped(label):
                mapped[label] = mapped.get(label, 0) + 1
            try:
                year = int(cells[year_at].strip())  # type: ignore[index]
                state = f"{int(cells[state_at].strip()):02d}"  # type: ignore[index]
                muni = f"{int(cells[muni_at].strip()):05d}" if muni_at is not None else ""
                counts = [_count(cells[i]) for i in month_at]  # type: ignore[index]
            except ValueError as error:
                rejected.append(Rejected(line, f"row: {error}", original))
                continue
            if not 1 <= int(state) <= 32 or not 1990 <= year <= 2100:
                rejected.append(
                    Rejected(line, f"row: state {state} or year {year} out of range", original)
                )
                continue
            base = (year - 1970) * 12
            for month, value in enumerate(counts):
                if value == value:  # not NaN: published
                    states.append(state)
                    munis.append(muni)
                    crimes.append(crime)
                    months.append(base + month)
                    values.append(value)
    areas = {
        AreaLevel.NATION: np.full(len(states), NATION),
        AreaLevel.STATE: np.array(states, dtype="<U2"),
    }
    if muni_at is not None:
        areas[AreaLevel.MUNICIPALITY] = np.array(munis, dtype="<U5")
    cube = count_long(
        areas,
        np.array(crimes, dtype=np.int64),
        np.array(months, dtype=np.int64),
        Period.MONTH,
        weights=np.array(values, dtype=np.float64),
        crime_levels=crime_levels,
    )
    return OfficialCounts(cube, muni_at is not None, rejected, mapped, rows)
