"""Just enough of the ESRI shapefile format to read polygon outlines and one text column.

libpysal ships Mexico's states as a shapefile; importing libpysal to read it costs four
seconds (it loads its whole graph and weights stack), which the ingest path that cleans
coordinates should not pay. Polygons (shape type 5) and dBASE character or numeric
columns are all it needs: the formats are fixed-layout binary and documented by ESRI.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["read_dbf_column", "read_polygons"]

_POLYGON = 5
_NULL = 0


def _rings_to_geometry(rings: list[np.ndarray]) -> BaseGeometry:
    # Shells run clockwise, holes counter-clockwise (ESRI's rule).
    shells = [shapely.Polygon(r) for r in rings if len(r) >= 4 and not shapely.LinearRing(r).is_ccw]
    holes = [shapely.Polygon(r) for r in rings if len(r) >= 4 and shapely.LinearRing(r).is_ccw]
    shape = shapely.make_valid(shapely.union_all(shells)) if shells else shapely.Polygon()
    if holes:
        shape = shapely.difference(shape, shapely.union_all(holes))
    return shape


def read_polygons(path: Path) -> list[BaseGeometry]:
    """Every record of a polygon shapefile, in file order (null shapes are empty)."""
    data = path.read_bytes()
    if len(data) < 100 or struct.unpack(">i", data[:4])[0] != 9994:
        raise ValueError(f"{path}: not a shapefile")
    shapes: list[BaseGeometry] = []
    offset = 100
    while offset + 8 <= len(data):
        words = struct.unpack(">i", data[offset + 4 : offset + 8])[0]
        content = data[offset + 8 : offset + 8 + 2 * words]
        offset += 8 + 2 * words
        kind = struct.unpack("<i", content[:4])[0]
        if kind == _NULL:
            shapes.append(shapely.Polygon())
            continue
        if kind != _POLYGON:
            raise ValueError(f"{path}: shape type {kind} is not a polygon")
        parts, points = struct.unpack("<ii", content[36:44])
        starts = [*np.frombuffer(content, "<i4", parts, 44).tolist(), points]
        xy = np.frombuffer(content, "<f8", 2 * points, 44 + 4 * parts).reshape(-1, 2)
        rings = [xy[starts[i] : starts[i + 1]] for i in range(parts)]
        shapes.append(_rings_to_geometry(rings))
    return shapes


def read_dbf_column(path: Path, column: str) -> list[str]:
    """One column of a dBASE table as stripped text, in record order."""
    data = path.read_bytes()
    records, header_size, record_size = struct.unpack("<IHH", data[4:12])
    fields: list[tuple[str, int]] = []
    position = 32
    while data[position] != 0x0D:
        name = data[position : position + 11].split(b"\0", 1)[0].decode("ascii")
        fields.append((name, data[position + 16]))
        position += 32
    names = [name.upper() for name, _ in fields]
    if column.upper() not in names:
        raise ValueError(f"{path}: no column {column!r} (has {', '.join(names)})")
    index = names.index(column.upper())
    start = 1 + sum(width for _, width in fields[:index])  # 1: the deletion flag
    width = fields[index][1]
    values = []
    for row in range(records):
        at = header_size + row * record_size + start
        values.append(data[at : at + width].decode("latin-1").strip())
    return values
