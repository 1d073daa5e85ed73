"""Weights: symmetric, binary, self included; municipalities by centroid."""

from __future__ import annotations

import h3.api.basic_int as h3int
import numpy as np
import pytest

from plataforma.trends.hotspots.weights import distance_band_weights, h3_ring_weights, knn_weights


def test_h3_rings_count_the_cell_and_its_six_neighbours() -> None:
    centre = h3int.latlng_to_cell(19.43, -99.13, 7)
    cells = np.array(sorted(h3int.grid_disk(centre, 2)), dtype=np.uint64)
    weights = h3_ring_weights(cells, 1)
    assert weights.cardinality[np.searchsorted(cells, np.uint64(centre))] == 7
    assert (weights.matrix != weights.matrix.T).nnz == 0
    assert weights.cardinality.min() >= 3  # edge cells of the disk have fewer
    with pytest.raises(ValueError, match="cells"):
        h3_ring_weights(np.r_[cells, cells[:1]], 1)


def test_knn_and_distance_band_give_every_unit_a_neighbour() -> None:
    rng = np.random.default_rng(0)
    lat, lon = rng.uniform(16, 30, 60), rng.uniform(-115, -88, 60)
    knn = knn_weights(lat, lon, 4)
    assert knn.cardinality.min() >= 5
    band = distance_band_weights(lat, lon)
    assert band.cardinality.min() >= 2
    assert "km" in band.description


def test_a_single_unit_is_its_own_neighbourhood() -> None:
    one = knn_weights(np.array([19.4]), np.array([-99.1]))
    assert one.n == 1 and one.cardinality.tolist() == [1.0]
