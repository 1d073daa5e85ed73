"""Alarms on count series: EARS C1–C3, a Farrington-flexible style GLM, and two baselines.

Every method scores all series at once (arrays shaped series × periods); `score_all` runs
them with Benjamini–Hochberg control across series, `first_alarms` reads out what fired.
"""

from plataforma.trends.alarms.base import MIN_OBSERVED, Method, MethodResult
from plataforma.trends.alarms.detector import (
    DEFAULT_FDR,
    DEFAULT_METHODS,
    Alarm,
    AlarmConfig,
    first_alarms,
    score_all,
)
from plataforma.trends.alarms.farrington import FarringtonConfig

__all__ = [
    "DEFAULT_FDR",
    "DEFAULT_METHODS",
    "MIN_OBSERVED",
    "Alarm",
    "AlarmConfig",
    "FarringtonConfig",
    "Method",
    "MethodResult",
    "first_alarms",
    "score_all",
]
