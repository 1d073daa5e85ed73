"""Do the hotspots of one period hold the incidents of the next? Hit rate and PAI.

For each period t of a cube, a method picks cells from period t's counts; the cells are
then scored on period t+1's incidents:

* hit rate = share of t+1's incidents that fall in the picked cells;
* Predictive Accuracy Index (Chainey, Tompson & Uhlig 2008) = hit rate / area share,
  where area share = picked cells / cells of the study area (H3 cells of one resolution
  differ in area by a few per cent within a country, so cells stand for area).

Methods with a fixed budget (the same number of cells, so hit rates compare directly):
`gi_star` (highest Gi* z), `kde` (highest kernel density at the cell centre) and the
baseline `naive` (highest count last period, ties broken at random: what an analyst
does without any method). `gi_star_fdr` picks the FDR-significant hot cells, whatever
their number, and is compared through its PAI.
"""

from __future__ import annotations

from dataclasses import dataclass

import h3.api.basic_int as h3int
import numpy as np
import numpy.typing as npt

from plataforma.trends.hotspots.cube import SpaceTimeCube
from plataforma.trends.hotspots.gistar import gi_star
from plataforma.trends.hotspots.kde import density_at
from plataforma.trends.hotspots.weights import SpatialWeights, h3_ring_weights
from plataforma.trends.points import FloatArray

__all__ = ["METHODS", "Score", "backtest", "score_picks"]

METHODS = ("gi_star", "gi_star_fdr", "kde", "naive")


@dataclass(frozen=True)
class Score:
    """One method's pick at one period, scored on the next."""

    method: str
    step: int
    cells: int
    hit_rate: float
    area_share: float

    @property
    def pai(self) -> float:
        return self.hit_rate / self.area_share if self.area_share > 0 else 0.0


def score_picks(
    picked: npt.NDArray[np.intp], next_counts: FloatArray, n_cells: int
) -> tuple[float, float]:
    """(hit rate, area share) of picked cell rows against the next period's counts."""
    total = float(next_counts.sum())
    hits = float(next_counts[picked].sum()) if len(picked) else 0.0
    return (hits / total if total else 0.0), (len(picked) / n_cells if n_cells else 0.0)


def _top(score: FloatArray, budget: int, rng: np.random.Generator) -> npt.NDArray[np.intp]:
    # Random tie-breaking: with sparse counts many cells tie, and cell order is not a method.
    order = np.lexsort((rng.random(len(score)), -score))
    top: npt.NDArray[np.intp] = order[:budget]
    return top


def _kde_scores(
    cube: SpaceTimeCube, step: int, centres: tuple[FloatArray, FloatArray], bandwidth_km: float
) -> FloatArray:
    lat, lon = centres
    counts = cube.counts[:, step]
    busy = counts > 0
    return density_at(lat[busy], lon[busy], counts[busy], lat, lon, bandwidth_km)


def backtest(
    cube: SpaceTimeCube,
    *,
    budget_share: float = 0.01,
    weights: SpatialWeights | None = None,
    k: int = 1,
    alpha: float = 0.05,
    seed: int = 0,
) -> list[Score]:
    """Scores of every method at every step t with a step t+1 (cells: an H3 cube).

    The KDE bandwidth is twice the cells' edge length: the rule of thumb of `kde` is
    meant for one city and over a country would smooth across tens of km.
    """
    if not 0 < budget_share <= 1:
        raise ValueError("budget_share: must be a fraction in (0, 1]")
    n_cells, steps = cube.counts.shape
    if n_cells == 0 or steps < 2:
        return []
    weights = weights or h3_ring_weights(cube.cells, k)
    gi = gi_star(cube.counts[:, :-1], weights, alpha=alpha)
    budget = max(1, round(budget_share * n_cells))
    resolution = h3int.get_resolution(int(cube.cells[0]))
    bandwidth = 2 * h3int.average_hexagon_edge_length(resolution, "km")
    centres_list = [h3int.cell_to_latlng(int(c)) for c in cube.cells.tolist()]
    centres = (
        np.array([c[0] for c in centres_list], dtype=np.float64),
        np.array([c[1] for c in centres_list], dtype=np.float64),
    )
    rng = np.random.default_rng(seed)
    scores: list[Score] = []
    for t in range(steps - 1):
        following = cube.counts[:, t + 1]
        picks = {
            "gi_star": _top(gi.z[:, t], budget, rng),
            "gi_star_fdr": np.flatnonzero(gi.hot[:, t]),
            "kde": _top(_kde_scores(cube, t, centres, bandwidth), budget, rng),
            "naive": _top(cube.counts[:, t], budget, rng),
        }
        for method, picked in picks.items():
            hit, share = score_picks(picked, following, n_cells)
            scores.append(Score(method, t, len(picked), hit, share))
    return scores
