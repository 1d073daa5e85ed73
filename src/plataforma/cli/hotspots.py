"""``plataforma trends hotspots``: Gi* or emerging hotspots of an incidents file, no database.

The incidents file has one reader (`plataforma.trends.incidents`, the `trends detect`
contract); this module takes incidents already read, so `run_hotspots` is the command's
body and `make_command(reader)` the thin Typer command the `trends` group registers:

    trends_app.command("hotspots")(make_command(read_incidents))

OUT holds one row per significant unit (`area, level, latitude, longitude, count,
z_score, p_value, spot`) or, with `--emerging`, one per location with a pattern (`area,
level, latitude, longitude, pattern, reason, hot_steps, cold_steps, trend_z, trend_p`).
"""

from __future__ import annotations

import csv
import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import h3.api.basic_int as h3int
import numpy as np
import typer

from plataforma.cli.common import console, out
from plataforma.trends.cells import cells_at
from plataforma.trends.hotspots import (
    Pattern,
    Period,
    cell_cube,
    emerging_hotspots,
    h3_hotspots,
    municipality_hotspots,
)
from plataforma.trends.places import clean_places
from plataforma.trends.points import IncidentPoints
from plataforma.trends.territory import Territory

__all__ = ["HotspotOptions", "Level", "make_command", "run_hotspots"]


class Level(enum.StrEnum):
    H3 = "h3"
    MUNICIPALITY = "municipality"


@dataclass(frozen=True)
class HotspotOptions:
    level: Level = Level.H3
    resolution: int = 8
    k: int = 1
    alpha: float = 0.05
    emerging: bool = False
    period: Period = Period.MONTH
    crime_type: str | None = None


def _write(path: Path, header: list[str], rows: Iterable[list[object]]) -> int:
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def _centre(cell: int) -> tuple[float, float]:
    lat, lon = h3int.cell_to_latlng(cell)
    return round(lat, 6), round(lon, 6)


def run_hotspots(
    points: IncidentPoints, path: Path, options: HotspotOptions, territory: Territory
) -> dict[str, int]:
    """Clean places, compute the hotspots, write OUT; returns counts for the summary."""
    if options.crime_type:
        points = points.select(points.crime_type == options.crime_type)
    places = clean_places(points, territory)
    summary = {f"places_{k}": v for k, v in places.counts().items()}
    summary["incidents"] = len(points)
    if options.level is Level.MUNICIPALITY:
        if options.emerging:
            raise ValueError("--emerging: works on H3 cells; drop --level municipality")
        result = municipality_hotspots(points.municipality, territory, alpha=options.alpha)
        z, p, counts = result.gi.z, result.gi.p, result.counts
        rows = [
            [code, "municipality", *territory.municipality_centroids[code], int(counts[i]),
             round(float(z[i]), 3), float(p[i]), "hot" if z[i] > 0 else "cold"]
            for i, code in enumerate(result.codes.tolist())
            if result.gi.significant[i]
        ]  # fmt: skip
    else:
        cells = cells_at(places.latitude, places.longitude, [options.resolution])[
            options.resolution
        ]
        if options.emerging:
            return summary | _write_emerging(path, cells, points, options)
        cell_result = h3_hotspots(cells, k=options.k, alpha=options.alpha)
        z, p, counts = cell_result.gi.z, cell_result.gi.p, cell_result.counts
        rows = [
            [h3int.int_to_str(cell), f"h3_{options.resolution}", *_centre(cell), int(counts[i]),
             round(float(z[i]), 3), float(p[i]), "hot" if z[i] > 0 else "cold"]
            for i, cell in enumerate(cell_result.cells.tolist())
            if cell_result.gi.significant[i]
        ]  # fmt: skip
    header = ["area", "level", "latitude", "longitude", "count", "z_score", "p_value", "spot"]
    summary["rows"] = _write(path, header, rows)
    return summary


def _write_emerging(
    path: Path, cells: np.ndarray, points: IncidentPoints, options: HotspotOptions
) -> dict[str, int]:
    cube = cell_cube(cells, points.occurred_at, options.period, k=options.k)
    result = emerging_hotspots(cube, k=options.k, alpha=options.alpha)
    hot, cold = result.gi.hot.sum(axis=1), result.gi.cold.sum(axis=1)
    rows = [
        [h3int.int_to_str(cell), f"h3_{options.resolution}", *_centre(cell),
         str(result.patterns[i]), result.reasons[i], int(hot[i]), int(cold[i]),
         round(float(result.trend.z[i]), 3), float(result.trend.p[i])]
        for i, cell in enumerate(cube.cells.tolist())
        if result.patterns[i] is not Pattern.NO_PATTERN
    ]  # fmt: skip
    header = ["area", "level", "latitude", "longitude", "pattern", "reason"]
    header += ["hot_steps", "cold_steps", "trend_z", "trend_p"]
    return {"rows": _write(path, header, rows), "steps": len(cube.steps)}


# Reads INCIDENTS into points, writing what it set aside beside OUT (the trends CLI passes
# the incidents file's one reader here).
Reader = Callable[[Path, Path], IncidentPoints]


def make_command(read: Reader) -> Callable[..., None]:
    """The Typer command, reading INCIDENTS with `read` (the incidents file's one reader)."""

    def hotspots(
        incidents: Annotated[
            Path, typer.Argument(help="incidents CSV", exists=True, dir_okay=False)
        ],
        out_path: Annotated[Path, typer.Option("--out", help="hotspots CSV to write")],
        level: Annotated[Level, typer.Option(help="h3 cells or municipalities")] = Level.H3,
        resolution: Annotated[int, typer.Option(min=0, max=15, help="H3 resolution")] = 8,
        k: Annotated[int, typer.Option(min=1, max=5, help="H3 ring size of a neighbourhood")] = 1,
        alpha: Annotated[float, typer.Option(min=0.0001, max=0.5, help="FDR level")] = 0.05,
        emerging: Annotated[bool, typer.Option(help="emerging hotspot patterns")] = False,
        period: Annotated[Period, typer.Option(help="time step of --emerging")] = Period.MONTH,
        crime_type: Annotated[str | None, typer.Option(help="only this crime type")] = None,
    ) -> None:
        """Where incidents cluster (Gi* with FDR), or how clusters change (--emerging)."""
        options = HotspotOptions(level, resolution, k, alpha, emerging, period, crime_type)
        try:
            points = read(incidents, out_path)
            summary = run_hotspots(points, out_path, options, Territory.from_code_tables())
        except ValueError as error:
            console.print(f"[red]{error}[/red]")
            raise typer.Exit(2) from None
        for key, value in summary.items():
            out.print(f"{key}: {value}")

    return hotspots
