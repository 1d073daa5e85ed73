"""Kernel density surfaces: incidents per km², smoothed, on a regular grid.

Points are projected to km around their mean (`geodesy.project_km`), binned on a grid of
`cell_km` cells, and the bins convolved with a quartic (biweight) kernel by FFT, so the
cost grows with the grid, not with points × cells. The quartic kernel is the one crime
analysts know from CrimeStat and ArcGIS: it is zero beyond the bandwidth, so a surface
never paints a town where nothing happened because a city 50 km away is busy.

Bandwidth rule (when none is given): ArcGIS's robust Silverman variant,

    h = 0.9 · min(SD, √(1/ln 2) · Dm) · n^(−1/5)

with SD the standard distance of the points and Dm their median distance from the mean
centre; the median keeps a handful of far-away points from inflating h. The rule suits
one city or region; over a whole country it gives tens of km (fine for a national
picture, too coarse for patrol planning): pass `bandwidth_km` for local work.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import fftconvolve
from scipy.spatial import cKDTree

from plataforma.trends.geodesy import KM_PER_DEGREE, project_km
from plataforma.trends.points import FloatArray

__all__ = ["DensitySurface", "bandwidth_rule_km", "density_at", "kernel_density"]

MAX_GRID_CELLS = 4_000_000
_MIN_BANDWIDTH_KM = 0.1


def bandwidth_rule_km(x: FloatArray, y: FloatArray) -> float:
    """The robust Silverman bandwidth (see the module doc) of projected points, in km."""
    n = len(x)
    if n < 2:
        return 1.0
    dx, dy = x - x.mean(), y - y.mean()
    distance = np.hypot(dx, dy)
    standard = float(np.sqrt((dx**2).mean() + (dy**2).mean()))
    median = float(np.median(distance))
    h = 0.9 * min(standard, float(np.sqrt(1 / np.log(2))) * median) * n ** (-0.2)
    return max(float(h), _MIN_BANDWIDTH_KM)


@dataclass(frozen=True)
class DensitySurface:
    """Density (incidents per km²) on a grid; row 0 is the southern edge."""

    density: FloatArray
    lat0: float
    lon0: float
    x0_km: float
    y0_km: float
    cell_km: float
    bandwidth_km: float
    rule: str

    def at(self, lat: FloatArray, lon: FloatArray) -> FloatArray:
        """Density at points (0 outside the grid)."""
        x, y = project_km(lat, lon, self.lat0, self.lon0)
        col = np.floor((x - self.x0_km) / self.cell_km).astype(np.int64)
        row = np.floor((y - self.y0_km) / self.cell_km).astype(np.int64)
        ny, nx = self.density.shape
        inside = (row >= 0) & (row < ny) & (col >= 0) & (col < nx)
        values = np.zeros(len(lat))
        values[inside] = self.density[row[inside], col[inside]]
        return values

    def cell_centres(self) -> tuple[FloatArray, FloatArray]:
        """Latitude and longitude of every grid cell's centre, shaped like `density`."""
        ny, nx = self.density.shape
        ys = self.y0_km + (np.arange(ny) + 0.5) * self.cell_km
        xs = self.x0_km + (np.arange(nx) + 0.5) * self.cell_km
        gx, gy = np.meshgrid(xs, ys)
        lat = self.lat0 + gy / KM_PER_DEGREE
        lon = self.lon0 + gx / (KM_PER_DEGREE * np.cos(np.radians(self.lat0)))
        return lat, lon


def _quartic(bandwidth_cells: float) -> FloatArray:
    reach = int(np.ceil(bandwidth_cells))
    offsets = np.arange(-reach, reach + 1)
    dx, dy = np.meshgrid(offsets, offsets)
    u2 = (dx**2 + dy**2) / bandwidth_cells**2
    kernel: FloatArray = np.where(u2 < 1, (1 - u2) ** 2, 0.0)
    normalised: FloatArray = kernel / kernel.sum()
    return normalised


def kernel_density(
    lat: FloatArray,
    lon: FloatArray,
    *,
    bandwidth_km: float | None = None,
    cell_km: float | None = None,
) -> DensitySurface:
    """The density surface of points; NaN points are ignored."""
    placed = np.isfinite(lat) & np.isfinite(lon)
    lat, lon = lat[placed], lon[placed]
    if bandwidth_km is not None and not bandwidth_km > 0:
        raise ValueError("bandwidth_km: must be a positive distance")
    if cell_km is not None and not cell_km > 0:
        raise ValueError("cell_km: must be a positive distance")
    lat0 = float(lat.mean()) if len(lat) else 0.0
    lon0 = float(lon.mean()) if len(lon) else 0.0
    x, y = project_km(lat, lon, lat0, lon0)
    rule = "given"
    if bandwidth_km is None:
        bandwidth_km, rule = bandwidth_rule_km(x, y), "robust Silverman (ArcGIS)"
    cell = cell_km or bandwidth_km / 4
    x0 = float(x.min(initial=0.0)) - bandwidth_km
    y0 = float(y.min(initial=0.0)) - bandwidth_km
    width = float(x.max(initial=0.0)) + bandwidth_km - x0
    height = float(y.max(initial=0.0)) + bandwidth_km - y0
    # A grid too fine for the extent would not fit in memory: coarsen it, never fail.
    cell = max(cell, float(np.sqrt(width * height / MAX_GRID_CELLS)))
    nx, ny = int(np.ceil(width / cell)) + 1, int(np.ceil(height / cell)) + 1
    counts, _, _ = np.histogram2d(
        y, x, bins=(ny, nx), range=((y0, y0 + ny * cell), (x0, x0 + nx * cell))
    )
    smoothed = fftconvolve(counts, _quartic(bandwidth_km / cell), mode="same")
    density = np.maximum(smoothed, 0.0) / cell**2  # FFT leaves ±1e-17 where it is empty
    return DensitySurface(density, lat0, lon0, x0, y0, cell, bandwidth_km, rule)


def density_at(
    lat: FloatArray,
    lon: FloatArray,
    weight: FloatArray,
    at_lat: FloatArray,
    at_lon: FloatArray,
    bandwidth_km: float,
) -> FloatArray:
    """The quartic kernel density (per km²) of weighted points, at given places only.

    A grid over a whole country at patrol-scale bandwidths would have billions of cells;
    this evaluates the same kernel only where asked (H3 cell centres, say), pairing points
    and places within the bandwidth through a k-d tree, so the cost follows the data.
    """
    if not bandwidth_km > 0:
        raise ValueError("bandwidth_km: must be a positive distance")
    result = np.zeros(len(at_lat))
    if len(lat) == 0 or len(at_lat) == 0:
        return result
    lat0, lon0 = float(np.mean(at_lat)), float(np.mean(at_lon))
    source = np.column_stack(project_km(lat, lon, lat0, lon0))
    target = np.column_stack(project_km(at_lat, at_lon, lat0, lon0))
    pairs = cKDTree(target).sparse_distance_matrix(
        cKDTree(source), bandwidth_km, output_type="coo_matrix"
    )
    u2 = (pairs.data / bandwidth_km) ** 2
    # 3 / (π h²) normalises the quartic kernel (1 − u²)² over the disc of radius h.
    contribution = 3 / (np.pi * bandwidth_km**2) * (1 - u2) ** 2 * weight[pairs.col]
    np.add.at(result, pairs.row, contribution)
    return result
