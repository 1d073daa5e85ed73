"""Files the trends commands write: alerts, and the rows set aside beside them.

Rejected rows go to `<OUT>.rejects.csv` as DESIGN §5 describes for imports (`line, reason`,
then the original columns); rows counted with a caveat go to `<OUT>.flags.csv` in the same
shape. A file is written only when it has rows, and a stale one from an earlier run of the
same output is removed, so what lies beside ALERTS.csv always describes that run.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from pathlib import Path

from plataforma.trends.alarms import Alarm
from plataforma.trends.incidents import Rejected

__all__ = ["ALERT_COLUMNS", "EXPLAIN_COLUMNS", "write_alerts", "write_set_aside"]

ALERT_COLUMNS = ("area", "crime_type", "period_start", "observed", "expected", "score", "method")
EXPLAIN_COLUMNS = ("area_level", "upper", "pvalue", "qvalue", "reason")


def _number(value: float, digits: int) -> str:
    if not math.isfinite(value):
        return ""
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{value:.0f}"


def write_alerts(path: Path, alarms: Sequence[Alarm], explain: bool = False) -> None:
    """ALERTS: one row per alarm in DESIGN §5's columns (plus the why with `explain`)."""
    columns = ALERT_COLUMNS + (EXPLAIN_COLUMNS if explain else ())
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for alarm in alarms:
            row = [
                alarm.area,
                alarm.crime_type,
                alarm.period_start.isoformat(),
                _number(alarm.observed, 0),
                _number(alarm.expected, 2),
                _number(alarm.score, 2),
                alarm.method.value,
            ]
            if explain:
                row += [
                    alarm.area_level,
                    _number(alarm.upper, 2),
                    f"{alarm.pvalue:.3g}" if math.isfinite(alarm.pvalue) else "",
                    f"{alarm.qvalue:.3g}" if math.isfinite(alarm.qvalue) else "",
                    alarm.reason,
                ]
            writer.writerow(row)


def write_set_aside(path: Path, rows: Sequence[Rejected], columns: Sequence[str]) -> Path | None:
    """`line, reason` and the original columns of each row; nothing (and no file) when empty."""
    if not rows:
        path.unlink(missing_ok=True)
        return None
    names = list(columns) or sorted({k for r in rows for k in r.original})
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["line", "reason", *names])
        for item in rows:
            writer.writerow([item.line, item.reason, *(item.original.get(c, "") for c in names)])
    return path
