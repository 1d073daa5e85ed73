"""Distances on the Earth, vectorised: enough geodesy for hotspot work at city to country scale."""

from __future__ import annotations

import numpy as np

from plataforma.trends.points import FloatArray

__all__ = ["EARTH_RADIUS_KM", "KM_PER_DEGREE", "haversine_km", "project_km"]

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = EARTH_RADIUS_KM * np.pi / 180.0


def haversine_km(
    lat1: FloatArray | float,
    lon1: FloatArray | float,
    lat2: FloatArray | float,
    lon2: FloatArray | float,
) -> FloatArray:
    """Great-circle distance in km between paired points (arrays broadcast)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat = p2 - p1
    dlon = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    distance: FloatArray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return distance


def project_km(
    lat: FloatArray, lon: FloatArray, lat0: float, lon0: float
) -> tuple[FloatArray, FloatArray]:
    """Equirectangular x, y in km around (lat0, lon0).

    Distances are true along the reference parallel and within about 3 % across Mexico's
    18 degrees of latitude from its middle: good enough to build neighbourhoods and kernel
    grids, which is all it is used for (reported distances use `haversine_km`).
    """
    x: FloatArray = (lon - lon0) * KM_PER_DEGREE * np.cos(np.radians(lat0))
    y: FloatArray = (lat - lat0) * KM_PER_DEGREE
    return x, y
