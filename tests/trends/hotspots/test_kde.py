"""Kernel density: mass preserved, peak where the points are, bandwidth rule documented."""

from __future__ import annotations

import numpy as np
import pytest

from plataforma.trends.geodesy import project_km
from plataforma.trends.hotspots.kde import bandwidth_rule_km, density_at, kernel_density


def test_density_integrates_to_the_number_of_points_and_peaks_at_the_cluster() -> None:
    rng = np.random.default_rng(0)
    lat = np.r_[rng.normal(19.43, 0.01, 400), rng.uniform(19.0, 20.0, 400)]
    lon = np.r_[rng.normal(-99.13, 0.01, 400), rng.uniform(-99.6, -98.6, 400)]
    surface = kernel_density(lat, lon)
    assert surface.density.sum() * surface.cell_km**2 == pytest.approx(800, rel=1e-6)
    peak = np.unravel_index(np.argmax(surface.density), surface.density.shape)
    centres = surface.cell_centres()
    assert abs(centres[0][peak] - 19.43) < 0.03 and abs(centres[1][peak] + 99.13) < 0.03
    assert surface.rule.startswith("robust Silverman")


def test_the_median_keeps_outliers_from_inflating_the_bandwidth() -> None:
    rng = np.random.default_rng(1)
    lat, lon = rng.normal(19.43, 0.02, 500), rng.normal(-99.13, 0.02, 500)
    x, y = project_km(lat, lon, 19.43, -99.13)
    far_x, far_y = np.r_[x, [900.0] * 10], np.r_[y, [900.0] * 10]
    # 2 % of points 1,270 km away: the standard distance alone would give a bandwidth
    # over 30 times the cluster's; the median term holds it near 10.
    n = len(far_x)
    standard = np.sqrt(far_x.var() + far_y.var())
    assert bandwidth_rule_km(far_x, far_y) < 0.3 * 0.9 * standard * n**-0.2
    assert bandwidth_rule_km(x, y) < 1.0


def test_a_single_point_and_no_point_give_a_surface_not_an_error() -> None:
    one = kernel_density(np.array([19.4]), np.array([-99.1]), bandwidth_km=2.0)
    assert one.density.sum() * one.cell_km**2 == pytest.approx(1.0)
    none = kernel_density(np.array([np.nan]), np.array([np.nan]), bandwidth_km=2.0)
    assert none.density.sum() == 0.0
    assert none.at(np.array([19.4]), np.array([-99.1])).tolist() == [0.0]


def test_a_huge_extent_is_coarsened_to_fit() -> None:
    lat, lon = np.array([14.6, 32.5]), np.array([-117.0, -86.8])
    surface = kernel_density(lat, lon, bandwidth_km=0.5, cell_km=0.1)
    assert surface.density.size <= 4_100_000
    assert surface.cell_km > 0.1


def test_bad_bandwidth_names_the_field() -> None:
    with pytest.raises(ValueError, match="bandwidth_km"):
        kernel_density(np.array([19.4]), np.array([-99.1]), bandwidth_km=0)


def test_density_at_places_agrees_with_the_grid_surface() -> None:
    rng = np.random.default_rng(2)
    lat, lon = rng.normal(19.43, 0.02, 300), rng.normal(-99.13, 0.02, 300)
    surface = kernel_density(lat, lon, bandwidth_km=1.5, cell_km=0.05)
    at_lat, at_lon = np.array([19.43, 19.45, 19.9]), np.array([-99.13, -99.12, -99.0])
    direct = density_at(lat, lon, np.ones(300), at_lat, at_lon, 1.5)
    assert np.allclose(direct, surface.at(at_lat, at_lon), rtol=0.1, atol=1e-3)
    assert direct[2] == 0.0
