"""Incidents as the hotspot methods take them: a few typed columns, not records.

The incidents file has one reader (`trends.incidents`); it hands over objects with
`occurred_at, crime_type, state, municipality, latitude, longitude`. Hotspot methods work on
a million of them at once, so they are turned into numpy columns here, once: a missing
coordinate becomes NaN, a missing state or municipality an empty string.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from plataforma.model.codes import all_crime_types
from plataforma.trends.incidents import IncidentTable

__all__ = ["FloatArray", "IncidentLike", "IncidentPoints", "StrArray", "TimeArray"]

FloatArray = npt.NDArray[np.float64]
StrArray = npt.NDArray[np.str_]
TimeArray = npt.NDArray[np.datetime64]


class IncidentLike(Protocol):
    """What the hotspot methods read from one incident (the reader's row type has these)."""

    @property
    def occurred_at(self) -> dt.datetime | dt.date: ...
    @property
    def crime_type(self) -> str: ...
    @property
    def state(self) -> str | None: ...
    @property
    def municipality(self) -> str | None: ...
    @property
    def latitude(self) -> float | None: ...
    @property
    def longitude(self) -> float | None: ...


def _local_naive(value: dt.datetime | dt.date) -> np.datetime64:
    # Periods (months, weeks) are cut on the clock of the place, so an aware time keeps its
    # wall-clock reading and drops the offset rather than being moved to UTC.
    if isinstance(value, dt.datetime):
        return np.datetime64(value.replace(tzinfo=None), "s")
    return np.datetime64(dt.datetime(value.year, value.month, value.day), "s")


def _coordinate(value: float | None) -> float:
    return float("nan") if value is None else float(value)


@dataclass(frozen=True)
class IncidentPoints:
    """Column arrays of equal length; row i of each is incident i."""

    occurred_at: TimeArray
    crime_type: StrArray
    state: StrArray
    municipality: StrArray
    latitude: FloatArray
    longitude: FloatArray

    def __post_init__(self) -> None:
        lengths = {
            len(self.occurred_at),
            len(self.crime_type),
            len(self.state),
            len(self.municipality),
            len(self.latitude),
            len(self.longitude),
        }
        if len(lengths) > 1:
            raise ValueError(f"incident columns differ in length: {sorted(lengths)}")

    def __len__(self) -> int:
        return len(self.latitude)

    @classmethod
    def from_incidents(cls, incidents: Iterable[IncidentLike]) -> IncidentPoints:
        """Columns from incident objects (any type with the six attributes)."""
        rows = list(incidents)
        return cls(
            occurred_at=np.array([_local_naive(r.occurred_at) for r in rows], dtype="M8[s]"),
            crime_type=np.array([r.crime_type for r in rows], dtype=np.str_),
            state=np.array([r.state or "" for r in rows], dtype=np.str_),
            municipality=np.array([r.municipality or "" for r in rows], dtype=np.str_),
            latitude=np.array([_coordinate(r.latitude) for r in rows], dtype=np.float64),
            longitude=np.array([_coordinate(r.longitude) for r in rows], dtype=np.float64),
        )

    @classmethod
    def from_table(cls, table: IncidentTable) -> IncidentPoints:
        """Columns from the incidents reader's table (the day stands for the time)."""
        codes = np.array([crime.code for crime in all_crime_types()], dtype=np.str_)
        return cls(
            occurred_at=table.day.astype("M8[s]"),
            crime_type=codes[table.crime.astype(np.intp)] if len(table) else codes[:0],
            state=table.state.astype(np.str_),
            municipality=table.municipality.astype(np.str_),
            latitude=table.latitude.astype(np.float64),
            longitude=table.longitude.astype(np.float64),
        )

    def select(self, rows: npt.NDArray[np.bool_] | npt.NDArray[np.intp]) -> IncidentPoints:
        """The incidents at a boolean mask or index array."""
        return IncidentPoints(
            occurred_at=self.occurred_at[rows],
            crime_type=self.crime_type[rows],
            state=self.state[rows],
            municipality=self.municipality[rows],
            latitude=self.latitude[rows],
            longitude=self.longitude[rows],
        )
