"""The space-time cube: incidents counted per location and time step.

A step is a calendar month, a Monday-to-Sunday week or a day, cut on the local clock the
incident carries. Every location of the study area gets every step, zeros included, from
the first to the last step holding an incident, so a quiet month is a zero, not a gap.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from plataforma.trends.cells import NO_CELL, CellArray
from plataforma.trends.hotspots.units import study_cells
from plataforma.trends.points import FloatArray, TimeArray

__all__ = ["Period", "SpaceTimeCube", "cell_cube", "period_starts"]


class Period(enum.StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


def period_starts(occurred_at: TimeArray, period: Period) -> npt.NDArray[np.datetime64]:
    """The first day of each time's step, as datetime64[D]."""
    days = occurred_at.astype("datetime64[D]")
    if period is Period.MONTH:
        starts: npt.NDArray[np.datetime64] = days.astype("datetime64[M]").astype("datetime64[D]")
        return starts
    if period is Period.WEEK:
        number = days.astype(np.int64)
        # 1970-01-01 was a Thursday: three days after a Monday.
        monday: npt.NDArray[np.datetime64] = (number - (number + 3) % 7).astype("datetime64[D]")
        return monday
    return days


@dataclass(frozen=True)
class SpaceTimeCube:
    """counts[i, t]: incidents at location i during the step starting steps[t]."""

    cells: CellArray
    steps: npt.NDArray[np.datetime64]
    counts: FloatArray
    period: Period


def _all_steps(
    first: np.datetime64, last: np.datetime64, period: Period
) -> npt.NDArray[np.datetime64]:
    if period is Period.MONTH:
        months = np.arange(first.astype("datetime64[M]"), last.astype("datetime64[M]") + 1)
        all_months: npt.NDArray[np.datetime64] = months.astype("datetime64[D]")
        return all_months
    stride = 7 if period is Period.WEEK else 1
    steps: npt.NDArray[np.datetime64] = np.arange(first, last + 1, stride).astype("datetime64[D]")
    return steps


def cell_cube(
    incident_cells: CellArray,
    occurred_at: TimeArray,
    period: Period = Period.MONTH,
    *,
    k: int = 1,
    with_ring: bool = True,
) -> SpaceTimeCube:
    """The cube of H3 cells (the study area of `units.study_cells`) × steps."""
    placed = incident_cells != NO_CELL
    cells = study_cells(incident_cells, k, with_ring)
    starts = period_starts(occurred_at[placed], period)
    if len(starts) == 0:
        return SpaceTimeCube(
            cells, np.array([], dtype="datetime64[D]"), np.zeros((len(cells), 0)), period
        )
    steps = _all_steps(starts.min(), starts.max(), period)
    row = np.searchsorted(cells, incident_cells[placed])
    column = np.searchsorted(steps, starts)
    counts = np.zeros((len(cells), len(steps)))
    np.add.at(counts, (row, column), 1.0)
    return SpaceTimeCube(cells, steps, counts, period)
