"""H3 cells: one conversion per point, parents derived by bit arithmetic and equal to h3's."""

from __future__ import annotations

import h3.api.basic_int as h3int
import numpy as np
import pytest

from plataforma.trends.cells import NO_CELL, cells_at, parent_cells


def test_cells_match_h3_and_parents_match_cell_to_parent() -> None:
    rng = np.random.default_rng(3)
    lat, lon = rng.uniform(15, 32, 300), rng.uniform(-117, -87, 300)
    cells = cells_at(lat, lon, [5, 7, 9])
    for i in range(300):
        fine = h3int.latlng_to_cell(lat[i], lon[i], 9)
        assert int(cells[9][i]) == fine
        assert int(cells[7][i]) == h3int.cell_to_parent(fine, 7)
        assert int(cells[5][i]) == h3int.cell_to_parent(fine, 5)


def test_unplaced_points_get_the_null_cell() -> None:
    cells = cells_at(np.array([np.nan, 19.4]), np.array([-99.1, np.nan]), [8])
    assert (cells[8] == NO_CELL).all()
    assert (parent_cells(cells[8], 4) == NO_CELL).all()


def test_a_bad_resolution_names_the_field() -> None:
    with pytest.raises(ValueError, match="resolution"):
        cells_at(np.array([19.4]), np.array([-99.1]), [16])
    with pytest.raises(ValueError, match="resolutions"):
        cells_at(np.array([19.4]), np.array([-99.1]), [])
