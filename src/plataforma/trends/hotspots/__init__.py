"""Hotspots: Getis-Ord Gi* on H3 cells and municipalities, kernel density, emerging patterns.

A hotspot says where incidents cluster more than chance would give: where to look, not
whom to suspect. Every method here works on places and counts only; none reads a person.
See docs/hotspots.md for the methods, their parameters and their limits.
"""

from plataforma.trends.hotspots.backtest import METHODS, Score, backtest, score_picks
from plataforma.trends.hotspots.cube import Period, SpaceTimeCube, cell_cube, period_starts
from plataforma.trends.hotspots.emerging import Emerging, Pattern, classify, emerging_hotspots
from plataforma.trends.hotspots.gistar import GiStar, fdr_threshold, gi_star
from plataforma.trends.hotspots.kde import (
    DensitySurface,
    bandwidth_rule_km,
    density_at,
    kernel_density,
)
from plataforma.trends.hotspots.mannkendall import Trend, mann_kendall
from plataforma.trends.hotspots.units import (
    CellHotspots,
    MunicipalityHotspots,
    h3_hotspots,
    municipality_hotspots,
    study_cells,
)
from plataforma.trends.hotspots.weights import (
    SpatialWeights,
    distance_band_weights,
    h3_ring_weights,
    knn_weights,
)

__all__ = [
    "METHODS",
    "CellHotspots",
    "DensitySurface",
    "Emerging",
    "GiStar",
    "MunicipalityHotspots",
    "Pattern",
    "Period",
    "Score",
    "SpaceTimeCube",
    "SpatialWeights",
    "Trend",
    "backtest",
    "bandwidth_rule_km",
    "cell_cube",
    "classify",
    "density_at",
    "distance_band_weights",
    "emerging_hotspots",
    "fdr_threshold",
    "gi_star",
    "h3_hotspots",
    "h3_ring_weights",
    "kernel_density",
    "knn_weights",
    "mann_kendall",
    "municipality_hotspots",
    "period_starts",
    "score_picks",
    "study_cells",
]
