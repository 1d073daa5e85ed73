"""Hotspots on H3 cells and on municipalities: counting, the study area, Gi* with its weights.

The study area of an H3 analysis is every cell holding an incident plus the cells within
`k` steps of one (`with_ring`): Gi* compares a neighbourhood with the whole, and a whole
made of busy cells only would hide a dense cluster surrounded by emptiness. Cells far from
any incident (deserts, sea) are left out, as ArcGIS leaves out locations without data; the
study area is reported with every result so its area can be stated.
"""

from __future__ import annotations

from dataclasses import dataclass

import h3.api.basic_int as h3int
import numpy as np
import numpy.typing as npt

from plataforma.trends.cells import NO_CELL, CellArray
from plataforma.trends.hotspots.gistar import GiStar, gi_star
from plataforma.trends.hotspots.weights import (
    SpatialWeights,
    distance_band_weights,
    h3_ring_weights,
    knn_weights,
)
from plataforma.trends.points import FloatArray, StrArray
from plataforma.trends.territory import Territory

__all__ = [
    "CellHotspots",
    "MunicipalityHotspots",
    "h3_hotspots",
    "municipality_hotspots",
    "study_cells",
]

MUNICIPALITY_PERMUTATIONS = 9999


def study_cells(incident_cells: CellArray, k: int = 1, with_ring: bool = True) -> CellArray:
    """The sorted cells of the study area: occupied cells, and their `k`-rings if asked."""
    occupied = np.unique(incident_cells[incident_cells != NO_CELL])
    if not with_ring or k == 0 or len(occupied) == 0:
        return occupied
    ring = {c for cell in occupied.tolist() for c in h3int.grid_disk(cell, k)}
    return np.array(sorted(ring), dtype=np.uint64)


def count_in(units: npt.NDArray[np.generic], values: npt.NDArray[np.generic]) -> FloatArray:
    """How many of `values` fall on each of the sorted `units` (values elsewhere ignored)."""
    if len(units) == 0:
        return np.zeros(0)
    at = np.minimum(np.searchsorted(units, values), len(units) - 1)
    hit = units[at] == values
    counts: FloatArray = np.bincount(at[hit], minlength=len(units)).astype(np.float64)
    return counts


@dataclass(frozen=True)
class CellHotspots:
    """Gi* per H3 cell of the study area."""

    cells: CellArray
    counts: FloatArray
    gi: GiStar
    weights: SpatialWeights

    def area_km2(self) -> float:
        return float(sum(h3int.cell_area(int(c), "km^2") for c in self.cells.tolist()))


def h3_hotspots(
    incident_cells: CellArray,
    *,
    k: int = 1,
    with_ring: bool = True,
    alpha: float = 0.05,
    permutations: int = 0,
    seed: int = 0,
) -> CellHotspots:
    """Gi* on the H3 cells of incidents (one cell per incident, one resolution)."""
    cells = study_cells(incident_cells, k, with_ring)
    weights = h3_ring_weights(cells, k)
    counts = count_in(cells, incident_cells)
    gi = gi_star(counts, weights, alpha=alpha, permutations=permutations, seed=seed)
    return CellHotspots(cells, counts, gi, weights)


@dataclass(frozen=True)
class MunicipalityHotspots:
    """Gi* per municipality of the catalogue that has a centroid."""

    codes: StrArray
    counts: FloatArray
    gi: GiStar
    weights: SpatialWeights


def municipality_hotspots(
    municipalities: StrArray,
    territory: Territory,
    *,
    neighbours: int | None = 8,
    band_km: float | None = None,
    alpha: float = 0.05,
    permutations: int = MUNICIPALITY_PERMUTATIONS,
    seed: int = 0,
) -> MunicipalityHotspots:
    """Gi* of incident counts per municipality, neighbours by centroid.

    `neighbours` nearest by default; with `neighbours=None` a distance band of `band_km`
    (or the smallest band leaving no municipality alone). Every municipality of the
    catalogue with a centroid is a unit, with zero where nothing happened. Counts are
    skewed and units few (2,469 in INEGI's catalogue), so inference is by permutation.
    """
    codes = np.array(sorted(territory.municipality_centroids), dtype=np.str_)
    lat = np.array([territory.municipality_centroids[c][0] for c in codes.tolist()])
    lon = np.array([territory.municipality_centroids[c][1] for c in codes.tolist()])
    if neighbours is not None:
        if neighbours < 1:
            raise ValueError("neighbours: must be 1 or more (or None for a distance band)")
        weights = knn_weights(lat, lon, neighbours)
    else:
        weights = distance_band_weights(lat, lon, band_km)
    counts = count_in(codes, np.asarray(municipalities, dtype=np.str_))
    gi = gi_star(counts, weights, alpha=alpha, permutations=permutations, seed=seed)
    return MunicipalityHotspots(codes, counts, gi, weights)
