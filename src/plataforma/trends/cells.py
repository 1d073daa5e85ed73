"""H3 cells of incidents, computed once per incident at the finest resolution wanted.

h3's Python binding converts one point per call (about 0.8 µs with the integer API, twice
that with string ids), so the finest resolution is computed point by point and every
coarser one is derived from it with numpy bit operations on the 64-bit index, the way
h3's own `cell_to_parent` does: set the resolution field, fill the unused digits with 7.
Cells are kept as unsigned 64-bit integers (`h3.int_to_str` gives the hex form); 0 is
H3's null index, used for unplaced incidents.
"""

from __future__ import annotations

from collections.abc import Iterable

import h3.api.basic_int as h3int
import numpy as np
import numpy.typing as npt

from plataforma.trends.points import FloatArray

__all__ = ["NO_CELL", "CellArray", "cells_at", "parent_cells"]

CellArray = npt.NDArray[np.uint64]
NO_CELL = np.uint64(0)
_MAX_RES = 15
_RES_SHIFT = np.uint64(52)
_RES_MASK = np.uint64(0xF) << _RES_SHIFT


def _check(resolution: int) -> None:
    if not 0 <= resolution <= _MAX_RES:
        raise ValueError(f"resolution: {resolution} is not an H3 resolution (0–15)")


def parent_cells(cells: CellArray, resolution: int) -> CellArray:
    """The ancestor of each cell at a coarser `resolution`; null cells stay null."""
    _check(resolution)
    unused = np.uint64(0)
    for digit in range(resolution + 1, _MAX_RES + 1):
        unused |= np.uint64(7) << np.uint64((_MAX_RES - digit) * 3)
    parents = (cells & ~_RES_MASK) | (np.uint64(resolution) << _RES_SHIFT) | unused
    result: CellArray = np.where(cells == NO_CELL, NO_CELL, parents).astype(np.uint64)
    return result


def cells_at(
    latitude: FloatArray, longitude: FloatArray, resolutions: Iterable[int]
) -> dict[int, CellArray]:
    """Each point's cell at every requested resolution; NO_CELL where a coordinate is NaN."""
    wanted = sorted(set(resolutions))
    if not wanted:
        raise ValueError("resolutions: name at least one H3 resolution")
    for resolution in wanted:
        _check(resolution)
    finest = wanted[-1]
    placed = np.isfinite(latitude) & np.isfinite(longitude)
    cells = np.zeros(len(latitude), dtype=np.uint64)
    to_cell = h3int.latlng_to_cell
    lats, lons = latitude[placed].tolist(), longitude[placed].tolist()
    cells[placed] = np.fromiter(
        (to_cell(a, b, finest) for a, b in zip(lats, lons, strict=True)),
        dtype=np.uint64,
        count=len(lats),
    )
    return {r: cells if r == finest else parent_cells(cells, r) for r in wanted}
