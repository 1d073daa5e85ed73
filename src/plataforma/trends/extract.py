"""Series written as a long Parquet table, the extract DuckDB and the dashboard read.

One row per (area level, area, crime level, crime type, period) with the count and, where a
population is known, the population and the rate per 100,000. Zero counts are written too:
a zero month is information (the series was published and nothing happened), and DuckDB
queries over a dense table need no gap filling.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from plataforma.trends.population import Population, population_matrix, rates_per_100k
from plataforma.trends.series import SeriesCube

__all__ = ["cube_table", "write_parquet"]


def cube_table(cube: SeriesCube, population: Population | None = None) -> pa.Table:
    """The cube as an Arrow table in long form."""
    n, periods = cube.counts.shape
    starts = np.array(cube.starts(), dtype="datetime64[D]")
    columns: dict[str, object] = {
        "area_level": np.repeat(cube.area_level, periods),
        "area": np.repeat(cube.area, periods),
        "crime_level": np.repeat(cube.crime_level, periods),
        "crime_type": np.repeat(cube.crime, periods),
        "period_start": np.tile(starts, n),
        "count": cube.counts.reshape(-1).astype(np.int64),
    }
    if population is not None:
        people = population_matrix(cube, population).reshape(-1)
        rates = rates_per_100k(cube, population).reshape(-1)
        columns["population"] = pa.array(people, mask=~np.isfinite(people))
        columns["rate_per_100k"] = pa.array(rates, mask=~np.isfinite(rates))
    return pa.table(columns)


def write_parquet(cube: SeriesCube, path: Path, population: Population | None = None) -> int:
    """Write the cube to `path`; returns the number of rows."""
    table = cube_table(cube, population)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return int(table.num_rows)
