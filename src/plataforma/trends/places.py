"""Cleaning the place of each incident: a point a map can trust, and a flag for every repair.

Coordinates arrive missing, as 0/0, with latitude and longitude swapped, with the minus sign
of the western hemisphere lost, or simply wrong. `clean_places` repairs what it can prove,
falls back to a centroid where it cannot, and flags every row it touched, so counts by place
stay complete and a map shows where each dot came from. It runs over whole columns (a
million incidents in about a second, see bench/hotspots.py) because it will run at ingest.

Rules, in order:
1. unusable coordinates (absent, NaN, beyond ±180, exactly 0/0) are `MISSING`;
2. a point outside the country is tried swapped, with the longitude's sign restored, both,
   and with the latitude's sign restored; the first repair that lands inside the country
   *and* in or near the stated state (or, without a state, near the stated municipality)
   is kept and flagged `SWAPPED` and/or `SIGN_FIXED`; if none does, `OUTSIDE_COUNTRY`;
3. a missing or outside point moves to its municipality's centroid (`CENTROID`), else its
   state's (`STATE_CENTROID`), else it stays unplaced (`UNPLACED`, NaN);
4. a kept point farther than `far_km` from its municipality's centroid is flagged
   `FAR_FROM_MUNICIPALITY`, and one inside the country but not in or near its stated state
   `OTHER_STATE`; both are kept where they are (the centroid is not better evidence).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from plataforma.trends.geodesy import haversine_km
from plataforma.trends.points import FloatArray, IncidentPoints, StrArray
from plataforma.trends.territory import BoolArray, Territory

__all__ = ["CleanPlaces", "PlaceFlag", "PlaceRules", "clean_places"]

FlagArray = npt.NDArray[np.uint16]


class PlaceFlag(enum.IntFlag):
    """What was done to a row's point; 0 means it was used as given."""

    MISSING = 1
    SWAPPED = 2
    SIGN_FIXED = 4
    OUTSIDE_COUNTRY = 8
    CENTROID = 16
    STATE_CENTROID = 32
    FAR_FROM_MUNICIPALITY = 64
    OTHER_STATE = 128
    UNPLACED = 256


@dataclass(frozen=True)
class PlaceRules:
    """Tolerances of the cleaning rules, in km.

    `border_km` absorbs simplified state outlines (libpysal's are a few km off) and points
    just offshore; `far_km` is large because municipalities are: Ensenada spans 300 km.
    """

    border_km: float = 15.0
    far_km: float = 60.0

    def __post_init__(self) -> None:
        for name in ("border_km", "far_km"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name}: must be a positive number of km")


@dataclass(frozen=True)
class CleanPlaces:
    """Cleaned coordinates (NaN where unplaced) and each row's `PlaceFlag` bits."""

    latitude: FloatArray
    longitude: FloatArray
    flags: FlagArray

    def __len__(self) -> int:
        return len(self.flags)

    @property
    def placed(self) -> BoolArray:
        placed: BoolArray = np.isfinite(self.latitude) & np.isfinite(self.longitude)
        return placed

    def has(self, flag: PlaceFlag) -> BoolArray:
        found: BoolArray = (self.flags & np.uint16(flag)) != 0
        return found

    def counts(self) -> dict[str, int]:
        """Rows per flag (a row may carry several), plus `clean` for untouched rows."""
        counts = {"clean": int((self.flags == 0).sum())}
        for flag in PlaceFlag:
            counts[str(flag.name).lower()] = int(self.has(flag).sum())
        return counts

    def reason(self, row: int) -> str:
        """The flags of one row, spelt out: "swapped, far_from_municipality"."""
        flag = PlaceFlag(int(self.flags[row]))
        return ", ".join(str(f.name).lower() for f in PlaceFlag if f in flag) or "clean"


def _usable(lat: FloatArray, lon: FloatArray) -> BoolArray:
    finite = np.isfinite(lat) & np.isfinite(lon)
    # |latitude| up to 180 stays usable: it may be a longitude written in the wrong column.
    in_range = (np.abs(lat) <= 180) & (np.abs(lon) <= 180)
    # 0/0 is what a form or GPS writes for "no fix", not a place in the Gulf of Guinea.
    null_island = (lat == 0) & (lon == 0)
    usable: BoolArray = finite & in_range & ~null_island
    return usable


def _repairs(lat: FloatArray, lon: FloatArray) -> list[tuple[FloatArray, FloatArray, PlaceFlag]]:
    return [
        (lon, lat, PlaceFlag.SWAPPED),
        (lat, -lon, PlaceFlag.SIGN_FIXED),
        (lon, -lat, PlaceFlag.SWAPPED | PlaceFlag.SIGN_FIXED),
        (-lat, lon, PlaceFlag.SIGN_FIXED),
    ]


def _plausible(
    lat: FloatArray,
    lon: FloatArray,
    state_rows: npt.NDArray[np.intp],
    muni_lat: FloatArray,
    muni_lon: FloatArray,
    territory: Territory,
    rules: PlaceRules,
) -> BoolArray:
    """Inside the country and consistent with what the row says about its place."""
    inside = territory.contains(lat, lon, rules.border_km)
    near_state = territory.near_state(lat, lon, state_rows, rules.border_km)
    has_muni = np.isfinite(muni_lat)
    with np.errstate(invalid="ignore"):
        near_muni = haversine_km(lat, lon, muni_lat, muni_lon) <= rules.far_km
    consistent = np.where(state_rows >= 0, near_state, np.where(has_muni, near_muni, True))
    plausible: BoolArray = inside & consistent
    return plausible


def clean_places(
    points: IncidentPoints, territory: Territory, rules: PlaceRules | None = None
) -> CleanPlaces:
    """Cleaned coordinates and flags for every incident (see the module doc for the rules)."""
    return clean_coordinates(
        points.latitude, points.longitude, points.state, points.municipality, territory, rules
    )


def _stated_state_rows(
    state: StrArray, municipality: StrArray, territory: Territory
) -> npt.NDArray[np.intp]:
    rows = territory.state_rows(state)
    missing = rows < 0
    if missing.any():
        # No (known) state written: the municipality's own state says where it should be.
        muni_state = np.array(
            [territory.municipality_states.get(str(m), "") for m in municipality[missing]],
            dtype=np.str_,
        )
        rows[missing] = territory.state_rows(muni_state)
    return rows


def clean_coordinates(
    latitude: FloatArray,
    longitude: FloatArray,
    state: StrArray,
    municipality: StrArray,
    territory: Territory,
    rules: PlaceRules | None = None,
) -> CleanPlaces:
    """`clean_places` on bare columns: codes as the reader writes them, '' when absent."""
    rules = rules or PlaceRules()
    lat = np.array(latitude, dtype=np.float64)
    lon = np.array(longitude, dtype=np.float64)
    flags = np.zeros(len(lat), dtype=np.uint16)
    state_rows = _stated_state_rows(state, municipality, territory)
    muni_lat, muni_lon = territory.municipality_centroid(municipality)

    usable = _usable(lat, lon)
    flags[~usable] |= np.uint16(PlaceFlag.MISSING)
    lat[~usable] = np.nan
    lon[~usable] = np.nan
    # In (or near) its own state means inside the country; only the rest pay the country test.
    in_own_state = usable & territory.near_state(lat, lon, state_rows, rules.border_km)
    inside = in_own_state.copy()
    rest = np.flatnonzero(usable & ~in_own_state)
    inside[rest] = territory.contains(lat[rest], lon[rest], rules.border_km)

    pending = usable & ~inside
    for new_lat, new_lon, flag in _repairs(lat, lon):
        rows = np.flatnonzero(pending)
        if len(rows) == 0:
            break
        ok = _plausible(
            new_lat[rows], new_lon[rows], state_rows[rows], muni_lat[rows], muni_lon[rows],
            territory, rules,
        )  # fmt: skip
        fixed = rows[ok]
        lat[fixed], lon[fixed] = new_lat[fixed], new_lon[fixed]
        flags[fixed] |= np.uint16(flag)
        pending[fixed] = False
        in_own_state[fixed] = state_rows[fixed] >= 0
    flags[pending] |= np.uint16(PlaceFlag.OUTSIDE_COUNTRY)

    kept = usable & ~pending
    with np.errstate(invalid="ignore"):
        far = kept & (haversine_km(lat, lon, muni_lat, muni_lon) > rules.far_km)
    flags[far] |= np.uint16(PlaceFlag.FAR_FROM_MUNICIPALITY)
    flags[kept & (state_rows >= 0) & ~in_own_state] |= np.uint16(PlaceFlag.OTHER_STATE)

    _fall_back(lat, lon, flags, ~kept, muni_lat, muni_lon, territory.state_centroid(state_rows))
    return CleanPlaces(lat, lon, flags)


def _fall_back(
    lat: FloatArray,
    lon: FloatArray,
    flags: FlagArray,
    replace: BoolArray,
    muni_lat: FloatArray,
    muni_lon: FloatArray,
    state_centroid: tuple[FloatArray, FloatArray],
) -> None:
    """Move rows to their municipality's centroid, else their state's, else leave them NaN."""
    to_muni = replace & np.isfinite(muni_lat)
    lat[to_muni], lon[to_muni] = muni_lat[to_muni], muni_lon[to_muni]
    flags[to_muni] |= np.uint16(PlaceFlag.CENTROID)
    state_lat, state_lon = state_centroid
    to_state = replace & ~to_muni & np.isfinite(state_lat)
    lat[to_state], lon[to_state] = state_lat[to_state], state_lon[to_state]
    flags[to_state] |= np.uint16(PlaceFlag.STATE_CENTROID)
    unplaced = replace & ~to_muni & ~to_state
    lat[unplaced] = lon[unplaced] = np.nan
    flags[unplaced] |= np.uint16(PlaceFlag.UNPLACED)
