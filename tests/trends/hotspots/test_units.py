"""Hotspots per H3 cell and per municipality from incident columns."""

from __future__ import annotations

import h3.api.basic_int as h3int
import numpy as np

from plataforma.trends.cells import NO_CELL
from plataforma.trends.hotspots.units import h3_hotspots, municipality_hotspots, study_cells
from plataforma.trends.territory import Territory


def test_the_study_area_adds_the_empty_ring_around_busy_cells() -> None:
    cell = h3int.latlng_to_cell(19.43, -99.13, 8)
    cells = np.array([cell, cell, NO_CELL], dtype=np.uint64)
    assert len(study_cells(cells, 1)) == 7
    assert len(study_cells(cells, 1, with_ring=False)) == 1
    assert len(study_cells(np.zeros(0, dtype=np.uint64), 1)) == 0


def test_an_empty_input_and_a_single_incident_give_no_hotspot() -> None:
    empty = h3_hotspots(np.zeros(0, dtype=np.uint64))
    assert len(empty.cells) == 0 and not empty.gi.significant.any()
    one = h3_hotspots(np.array([h3int.latlng_to_cell(19.43, -99.13, 8)], dtype=np.uint64))
    assert one.counts.sum() == 1 and not one.gi.significant.any()


def test_a_municipal_cluster_is_hot_with_permutation_inference() -> None:
    territory = Territory.from_code_tables()
    rng = np.random.default_rng(0)
    codes = np.array(sorted(territory.municipality_centroids))
    background = rng.choice(codes, 2000)
    # The metropolitan area of Mexico City: the capital's municipalities and their neighbours.
    cluster = [c for c in codes if c.startswith("09")]
    incidents = np.r_[background, np.repeat(cluster, 60)]
    result = municipality_hotspots(incidents, territory, permutations=999)
    hot = set(result.codes[result.gi.hot].tolist())
    assert len(hot & set(cluster)) >= len(cluster) // 2
    assert "permutation" in result.gi.inference
    assert result.counts.sum() == len(incidents)
