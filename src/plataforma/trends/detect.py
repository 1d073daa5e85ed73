"""File mode: `plataforma trends detect INCIDENTS.csv --out ALERTS.csv`, no database.

Reads the incidents (`incidents.py`), counts them by subtipo × state and × municipality per
period (`series.py`), runs the alarms (`alarms/`) on every period that has enough history and
writes the alarms that fired, one per (area, crime type, period) with the first method in the
configured order. The rows that could not be counted go beside the output with their reasons.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from plataforma.trends.alarms import Alarm, AlarmConfig, first_alarms, score_all
from plataforma.trends.catalogue import CatalogueMap
from plataforma.trends.incidents import read_incidents
from plataforma.trends.outputs import write_alerts, write_set_aside
from plataforma.trends.periods import Period
from plataforma.trends.series import AreaLevel, count_incidents

__all__ = ["DetectSummary", "detect_file", "sidecar"]


@dataclass
class DetectSummary:
    """What a run read, counted, set aside and raised."""

    incidents: int
    series: int
    periods: int
    alarms: list[Alarm]
    rejected: int
    flagged: int
    reasons: dict[str, int] = field(default_factory=dict)
    mapped: dict[str, int] = field(default_factory=dict)
    rejects_file: Path | None = None
    flags_file: Path | None = None


def sidecar(out: Path, kind: str) -> Path:
    """`ALERTS.csv` → `ALERTS.csv.rejects.csv` (or `.flags.csv`)."""
    return out.with_name(f"{out.name}.{kind}.csv")


def detect_file(
    source: Path,
    out: Path,
    *,
    period: Period = Period.MONTH,
    config: AlarmConfig | None = None,
    today: dt.date | None = None,
    catalogue: CatalogueMap | None = None,
    explain: bool = False,
) -> DetectSummary:
    """Read, count, alarm and write; raises `TrendsInputError` only for an unusable file."""
    table = read_incidents(source, period=period, today=today, catalogue=catalogue)
    cube = count_incidents(table, period, area_levels=(AreaLevel.STATE, AreaLevel.MUNICIPALITY))
    config = config or AlarmConfig()
    alarms = first_alarms(cube, score_all(cube, config), config.methods) if len(cube) else []
    write_alerts(out, alarms, explain)
    return DetectSummary(
        incidents=len(table),
        series=len(cube),
        periods=cube.periods,
        alarms=alarms,
        rejected=len(table.rejected),
        flagged=len(table.flagged),
        reasons=table.reasons(),
        mapped=table.mapped,
        rejects_file=write_set_aside(sidecar(out, "rejects"), table.rejected, table.columns),
        flags_file=write_set_aside(sidecar(out, "flags"), table.flagged, table.columns),
    )
