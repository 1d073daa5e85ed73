"""Shapes for the dashboard's map as GeoJSON: state outlines, municipality points, H3 cells.

The map has no tile layer (tiles would come from the internet): the states are drawn from
the outlines `Territory` holds (libpysal's `examples/mexico`, or a deployment's own GeoJSON),
simplified to about 2 km so the whole country is a few hundred kB; a state without an outline
is drawn as a point at its centroid. Municipalities are their centroids; H3 cells their
hexagons from h3's own boundary.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

import h3
import shapely
from shapely.geometry import mapping

from plataforma.model.codes import all_municipalities, all_states
from plataforma.trends.territory import Territory

__all__ = ["cells_geojson", "municipality_points", "states_geojson"]

SIMPLIFY_DEGREES = 0.02


@cache
def states_geojson(territory: Territory | None = None) -> dict[str, Any]:
    """Every state as a feature (``code``, ``name``), outline or centroid point."""
    land = territory or Territory.from_code_tables()
    features = []
    for state in all_states():
        shape = land.state_shapes.get(state.code)
        if shape is not None:
            simple = shapely.simplify(shape, SIMPLIFY_DEGREES, preserve_topology=True)
            geometry = mapping(shapely.set_precision(simple, 0.001))
        else:
            geometry = {"type": "Point", "coordinates": [state.lon, state.lat]}
        features.append(
            {
                "type": "Feature",
                "properties": {"code": state.code, "name": state.name},
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def municipality_points(state: str) -> list[dict[str, Any]]:
    """The municipalities of ``state`` that have a centroid: code, name, lat, lon."""
    return [
        {"code": m.code, "name": m.name, "lat": m.lat, "lon": m.lon}
        for m in all_municipalities()
        if m.state == state and m.lat is not None and m.lon is not None
    ]


def cells_geojson(counts: Iterable[tuple[str, int]]) -> dict[str, Any]:
    """H3 cells with their counts as hexagon features (GeoJSON is lon, lat)."""
    features = []
    for cell, count in counts:
        ring = [[round(lon, 5), round(lat, 5)] for lat, lon in h3.cell_to_boundary(cell)]
        ring.append(ring[0])
        features.append(
            {
                "type": "Feature",
                "properties": {"cell": cell, "count": count},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return {"type": "FeatureCollection", "features": features}
