"""The territory comes from data: libpysal's state outlines and the code tables."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from plataforma.trends.territory import Territory, libpysal_mexico_shapes, shapes_from_geojson


def test_libpysal_outlines_are_keyed_by_inegi_code() -> None:
    shapes = libpysal_mexico_shapes()
    assert len(shapes) == 32
    # libpysal's own MX05 is Chiapas; INEGI's 05 is Coahuila, whose capital is Saltillo.
    assert shapes["05"].contains(__import__("shapely").Point(-101.0, 25.42))
    assert shapes["07"].contains(__import__("shapely").Point(-93.12, 16.75))


def test_contains_tolerates_the_coast_but_not_the_ocean() -> None:
    territory = Territory.from_code_tables()
    lat = np.array([19.43, 21.2, 25.0, 40.7])
    lon = np.array([-99.13, -86.73, -125.0, -74.0])  # CDMX, Isla Mujeres, Pacific, New York
    assert territory.contains(lat, lon, tolerance_km=15).tolist() == [True, True, False, False]


def test_geojson_shapes_resolve_state_names(tmp_path: Path) -> None:
    square = [[[-100.0, 19.0], [-99.0, 19.0], [-99.0, 20.0], [-100.0, 20.0], [-100.0, 19.0]]]
    document = {
        "type": "FeatureCollection",
        "features": [
            {"properties": {"nom": "CDMX"}, "geometry": {"type": "Polygon", "coordinates": square}}
        ],
    }
    path = tmp_path / "states.geojson"
    path.write_text(json.dumps(document))
    shapes = shapes_from_geojson(path, "nom")
    assert list(shapes) == ["09"]
