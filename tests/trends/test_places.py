"""Cleaning incident points: every repair is proven, flagged, and never silent."""

from __future__ import annotations

import numpy as np
import pytest

from plataforma.trends.places import PlaceFlag, PlaceRules, clean_coordinates
from plataforma.trends.territory import Territory

CDMX = (19.4326, -99.1332)  # Cuauhtémoc, Ciudad de México
GDL = (20.6767, -103.3475)  # Guadalajara


@pytest.fixture(scope="module")
def territory() -> Territory:
    return Territory.from_code_tables()


def _clean(territory: Territory, rows: list[tuple[float, float, str, str]]):  # type: ignore[no-untyped-def]
    lat = np.array([r[0] for r in rows], dtype=float)
    lon = np.array([r[1] for r in rows], dtype=float)
    state = np.array([r[2] for r in rows], dtype=np.str_)
    muni = np.array([r[3] for r in rows], dtype=np.str_)
    return clean_coordinates(lat, lon, state, muni, territory)


def test_a_good_point_is_kept_untouched(territory: Territory) -> None:
    clean = _clean(territory, [(*CDMX, "09", "09015"), (*GDL, "14", "14039")])
    assert clean.flags.tolist() == [0, 0]
    assert clean.latitude.tolist() == [CDMX[0], GDL[0]]


def test_swapped_coordinates_are_swapped_back(territory: Territory) -> None:
    clean = _clean(territory, [(CDMX[1], CDMX[0], "09", "09015")])
    assert clean.has(PlaceFlag.SWAPPED)[0]
    assert (clean.latitude[0], clean.longitude[0]) == CDMX
    assert not clean.has(PlaceFlag.CENTROID)[0]


def test_lost_minus_sign_and_swap_together_are_repaired(territory: Territory) -> None:
    clean = _clean(
        territory,
        [(CDMX[0], -CDMX[1], "09", "09015"), (-CDMX[1], CDMX[0], "09", "09015")],
    )
    assert clean.reason(0) == "sign_fixed"
    assert clean.reason(1) == "swapped, sign_fixed"
    assert np.allclose(clean.longitude, CDMX[1])


def test_a_swap_that_lands_in_another_state_is_not_taken(territory: Territory) -> None:
    # Swapped Guadalajara, but the row says Yucatán: the swap is not proven, so centroid.
    clean = _clean(territory, [(GDL[1], GDL[0], "31", "")])
    assert clean.has(PlaceFlag.OUTSIDE_COUNTRY)[0]
    assert clean.has(PlaceFlag.STATE_CENTROID)[0]
    assert not clean.has(PlaceFlag.SWAPPED)[0]


def test_missing_coordinates_fall_back_to_the_municipality_centroid(territory: Territory) -> None:
    clean = _clean(
        territory,
        [(np.nan, np.nan, "14", "14039"), (0.0, 0.0, "14", "14039"), (np.nan, -103.0, "", "14039")],
    )
    assert clean.has(PlaceFlag.MISSING).all()
    assert clean.has(PlaceFlag.CENTROID).all()
    lat, lon = territory.municipality_centroids["14039"]
    assert np.allclose(clean.latitude, lat) and np.allclose(clean.longitude, lon)


def test_outside_the_country_falls_back_and_is_flagged(territory: Territory) -> None:
    clean = _clean(territory, [(40.7128, -74.0060, "09", "09015")])  # New York
    assert clean.reason(0) == "outside_country, centroid"
    assert clean.placed[0]


def test_nothing_known_stays_unplaced(territory: Territory) -> None:
    clean = _clean(territory, [(np.nan, np.nan, "", ""), (np.nan, np.nan, "99", "99999")])
    assert clean.has(PlaceFlag.UNPLACED).all()
    assert not clean.placed.any()
    assert clean.counts()["unplaced"] == 2


def test_far_from_its_municipality_and_in_another_state_is_kept_but_flagged(
    territory: Territory,
) -> None:
    clean = _clean(territory, [(*CDMX, "14", "14039")])
    assert clean.reason(0) == "far_from_municipality, other_state"
    assert (clean.latitude[0], clean.longitude[0]) == CDMX


def test_an_empty_input_gives_empty_columns(territory: Territory) -> None:
    clean = _clean(territory, [])
    assert len(clean) == 0
    assert clean.counts()["clean"] == 0


def test_without_state_shapes_the_rules_still_hold() -> None:
    bare = Territory.from_code_tables(shapes={})
    clean = _clean(bare, [(CDMX[1], CDMX[0], "09", "09015"), (40.7, -74.0, "09", "09015")])
    assert clean.reason(0) == "swapped"
    assert clean.has(PlaceFlag.OUTSIDE_COUNTRY)[1]


def test_rules_refuse_a_nonsense_tolerance() -> None:
    with pytest.raises(ValueError, match="far_km"):
        PlaceRules(far_km=0)
