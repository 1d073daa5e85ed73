"""Who is whose neighbour: binary spatial weights, self included, as a sparse matrix.

Gi* (the "star") counts a unit together with its neighbours, so every matrix here has ones
on the diagonal. Two kinds of units:

* H3 cells: the neighbours of a cell are the cells within `k` grid steps (`grid_disk`),
  the equal-area, equal-shape neighbourhood that is H3's reason to exist;
* municipalities: points (centroids) of very unequal spacing, so either the `k` nearest
  (every unit gets the same number of neighbours: the default, as municipalities in Oaxaca
  are a few km apart and in Sonora a hundred) or all within a distance band, which by
  default is the smallest distance giving every unit at least one neighbour (libpysal's
  `min_threshold_distance`).
"""

from __future__ import annotations

from dataclasses import dataclass

import h3.api.basic_int as h3int
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from plataforma.trends.cells import CellArray
from plataforma.trends.geodesy import project_km
from plataforma.trends.points import FloatArray

__all__ = ["SpatialWeights", "distance_band_weights", "h3_ring_weights", "knn_weights"]


@dataclass(frozen=True)
class SpatialWeights:
    """Binary weights between `n` units (row i ↔ unit i), diagonal included."""

    matrix: sp.csr_matrix
    description: str

    @property
    def n(self) -> int:
        return int(self.matrix.shape[0])

    @property
    def cardinality(self) -> npt.NDArray[np.float64]:
        """Row sums: how many units (self included) each unit's statistic adds up."""
        sums: npt.NDArray[np.float64] = np.asarray(self.matrix.sum(axis=1)).ravel()
        return sums


def _binary(rows: npt.NDArray[np.intp], cols: npt.NDArray[np.intp], n: int) -> sp.csr_matrix:
    data = np.ones(len(rows), dtype=np.float64)
    matrix = sp.csr_matrix((data, (rows, cols)), shape=(n, n))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    matrix = matrix.maximum(matrix.T).tocsr()  # neighbourhood is symmetric
    matrix.setdiag(1.0)
    matrix.eliminate_zeros()
    return matrix.tocsr()


def h3_ring_weights(cells: CellArray, k: int = 1) -> SpatialWeights:
    """Cells within `k` grid steps of each other among `cells` (unique, same resolution)."""
    if k < 0:
        raise ValueError("k: the ring size must be 0 or more")
    index = {int(c): i for i, c in enumerate(cells.tolist())}
    if len(index) != len(cells):
        raise ValueError("cells: each cell must appear once")
    rows: list[int] = []
    cols: list[int] = []
    for i, cell in enumerate(cells.tolist()):
        for other in h3int.grid_disk(cell, k):
            j = index.get(other)
            if j is not None:
                rows.append(i)
                cols.append(j)
    matrix = _binary(np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp), len(cells))
    return SpatialWeights(matrix, f"H3 grid disk k={k}")


def _projected(lat: FloatArray, lon: FloatArray) -> npt.NDArray[np.float64]:
    x, y = project_km(lat, lon, float(np.mean(lat)), float(np.mean(lon)))
    return np.column_stack([x, y])


def knn_weights(lat: FloatArray, lon: FloatArray, k: int = 8) -> SpatialWeights:
    """Each point with its `k` nearest (symmetrised, so some units have more)."""
    from libpysal.weights import KNN

    n = len(lat)
    if n < 2:
        return SpatialWeights(sp.identity(n, format="csr", dtype=np.float64), "self only")
    k = min(k, n - 1)
    knn = KNN.from_array(_projected(lat, lon), k=k)
    coo = knn.sparse.tocoo()
    return SpatialWeights(_binary(coo.row, coo.col, n), f"{k} nearest neighbours")


def distance_band_weights(
    lat: FloatArray, lon: FloatArray, threshold_km: float | None = None
) -> SpatialWeights:
    """Points within `threshold_km` of each other (default: the smallest band with no island)."""
    from libpysal.weights import DistanceBand
    from libpysal.weights.util import min_threshold_distance

    n = len(lat)
    if n < 2:
        return SpatialWeights(sp.identity(n, format="csr", dtype=np.float64), "self only")
    coords = _projected(lat, lon)
    if threshold_km is None:
        threshold_km = float(min_threshold_distance(coords)) * 1.0001
    if threshold_km <= 0:
        raise ValueError("threshold_km: must be a positive distance")
    band = DistanceBand.from_array(
        coords, threshold=threshold_km, binary=True, silence_warnings=True
    )
    coo = band.sparse.tocoo()
    return SpatialWeights(_binary(coo.row, coo.col, n), f"distance band {threshold_km:.1f} km")
