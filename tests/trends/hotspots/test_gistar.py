"""Gi*: equal to esda's z-scores, FDR that refuses noise, sane on degenerate inputs."""

from __future__ import annotations

import warnings

import h3.api.basic_int as h3int
import numpy as np
import pytest

from plataforma.trends.hotspots.gistar import fdr_threshold, gi_star
from plataforma.trends.hotspots.weights import h3_ring_weights

CENTRE = h3int.latlng_to_cell(19.43, -99.13, 8)


def _grid(radius: int = 10) -> np.ndarray:
    return np.array(sorted(h3int.grid_disk(CENTRE, radius)), dtype=np.uint64)


def test_z_scores_equal_esda_g_local_star() -> None:
    esda = pytest.importorskip("esda")
    from libpysal.weights import WSP

    cells = _grid()
    weights = h3_ring_weights(cells, 1)
    rng = np.random.default_rng(5)
    counts = rng.poisson(0.8, len(cells)).astype(float)
    counts[:4] += 9
    ours = gi_star(counts, weights)
    off_diagonal = weights.matrix.copy()
    off_diagonal.setdiag(0)
    off_diagonal.eliminate_zeros()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = esda.G_Local(
            counts, WSP(off_diagonal.tocsr()).to_W(), transform="B", star=True, permutations=0
        )
    assert np.allclose(ours.z, theirs.Zs)


def test_fdr_threshold_equals_esda() -> None:
    esda = pytest.importorskip("esda")
    rng = np.random.default_rng(2)
    for p in (rng.random(500), np.r_[rng.random(400), rng.random(100) * 1e-4], np.ones(3)):
        assert fdr_threshold(p, 0.05) == pytest.approx(esda.fdr(p, 0.05))


def test_a_planted_cluster_is_hot_and_pure_noise_is_not() -> None:
    cells = _grid()
    weights = h3_ring_weights(cells, 1)
    rng = np.random.default_rng(11)
    noise = rng.poisson(1.0, len(cells)).astype(float)
    assert not gi_star(noise, weights).significant.any()
    planted = noise.copy()
    centre = int(np.searchsorted(cells, np.uint64(CENTRE)))
    ring = [int(np.searchsorted(cells, np.uint64(c))) for c in h3int.grid_disk(CENTRE, 1)]
    planted[ring] += 6
    result = gi_star(planted, weights)
    assert result.hot[centre]
    assert not result.cold.any()


def test_zero_heavy_grid_gives_no_cold_spots_and_finds_the_busy_cell() -> None:
    cells = _grid()
    weights = h3_ring_weights(cells, 1)
    counts = np.zeros(len(cells))
    counts[0] = 1.0
    counts[np.searchsorted(cells, np.uint64(CENTRE))] = 25.0
    result = gi_star(counts, weights)
    assert not result.cold.any()
    assert result.hot[np.searchsorted(cells, np.uint64(CENTRE))]


def test_constant_values_and_a_single_unit_give_zero_not_nan() -> None:
    cells = _grid(2)
    flat = gi_star(np.full(len(cells), 3.0), h3_ring_weights(cells, 1))
    assert np.all(flat.z == 0) and not flat.significant.any()
    one = gi_star(np.array([4.0]), h3_ring_weights(cells[:1], 1))
    assert one.z.tolist() == [0.0] and one.p.tolist() == [1.0]


def test_permutation_inference_agrees_with_the_normal_one_on_a_clear_cluster() -> None:
    cells = _grid(6)
    weights = h3_ring_weights(cells, 1)
    rng = np.random.default_rng(3)
    counts = rng.poisson(1.0, len(cells)).astype(float)
    centre = int(np.searchsorted(cells, np.uint64(CENTRE)))
    counts[[int(np.searchsorted(cells, np.uint64(c))) for c in h3int.grid_disk(CENTRE, 1)]] += 8
    result = gi_star(counts, weights, permutations=9999, seed=1)
    assert result.hot[centre]
    assert "permutation" in result.inference
    assert result.p[centre] <= 2 / 10000 + 1e-12


def test_a_column_per_time_step_is_tested_separately() -> None:
    cells = _grid(3)
    weights = h3_ring_weights(cells, 1)
    counts = np.zeros((len(cells), 2))
    counts[0, 1] = 30
    result = gi_star(counts, weights)
    assert result.z.shape == (len(cells), 2)
    assert not result.significant[:, 0].any()


def test_bad_arguments_name_the_field() -> None:
    weights = h3_ring_weights(_grid(1), 1)
    with pytest.raises(ValueError, match="values"):
        gi_star(np.zeros(3), weights)
    with pytest.raises(ValueError, match="alpha"):
        gi_star(np.zeros(weights.n), weights, alpha=1.5)
    with pytest.raises(ValueError, match="permutations"):
        gi_star(np.zeros(weights.n), weights, permutations=-1)
