"""Backtest: hit rate and PAI are what their definitions say, and Gi* beats noise-chasing."""

from __future__ import annotations

import h3.api.basic_int as h3int
import numpy as np
import pytest

from plataforma.trends.hotspots.backtest import backtest, score_picks
from plataforma.trends.hotspots.cube import Period, SpaceTimeCube


def test_hit_rate_and_area_share_by_hand() -> None:
    following = np.array([5.0, 0.0, 3.0, 2.0])
    hit, share = score_picks(np.array([0, 2]), following, 4)
    assert (hit, share) == (0.8, 0.5)
    assert score_picks(np.array([], dtype=np.intp), np.zeros(4), 4) == (0.0, 0.0)


def _cube(rng: np.random.Generator, steps: int = 6) -> SpaceTimeCube:
    centre = h3int.latlng_to_cell(19.43, -99.13, 8)
    cells = np.array(sorted(h3int.grid_disk(centre, 12)), dtype=np.uint64)
    cluster = [int(np.searchsorted(cells, np.uint64(c))) for c in h3int.grid_disk(centre, 1)]
    rate = np.full(len(cells), 0.3)
    rate[cluster] = 2.0  # a stable cluster of 7 cells amid sparse noise
    counts = rng.poisson(rate[:, None], size=(len(cells), steps)).astype(float)
    steps_at = np.arange("2024-01", f"2024-{steps + 1:02d}", dtype="M8[M]").astype("M8[D]")
    return SpaceTimeCube(cells, steps_at, counts, Period.MONTH)


def test_every_method_is_scored_at_every_step_but_the_last() -> None:
    scores = backtest(_cube(np.random.default_rng(0)), budget_share=0.02)
    assert {(s.method, s.step) for s in scores} == {
        (m, t) for m in ("gi_star", "gi_star_fdr", "kde", "naive") for t in range(5)
    }
    fixed = [s for s in scores if s.method != "gi_star_fdr"]
    assert len({s.cells for s in fixed}) == 1


def test_gi_star_beats_the_naive_pick_on_a_smooth_cluster_in_noise() -> None:
    rng = np.random.default_rng(1)
    gi, naive = [], []
    for _ in range(5):
        scores = backtest(_cube(rng), budget_share=7 / 469)
        gi += [s.pai for s in scores if s.method == "gi_star"]
        naive += [s.pai for s in scores if s.method == "naive"]
    assert np.mean(gi) > np.mean(naive)


def test_too_short_a_cube_gives_no_scores_and_bad_budget_names_the_field() -> None:
    assert backtest(_cube(np.random.default_rng(0), steps=1)) == []
    with pytest.raises(ValueError, match="budget_share"):
        backtest(_cube(np.random.default_rng(0)), budget_share=0)
