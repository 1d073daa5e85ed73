"""Where and when incidents happen: population-weighted places, hotspots, calendar rhythms.

Places are packaged municipalities weighted by population, with coordinates jittered around
the centroid; a share of each crime type falls in a few tight hotspot clusters (a market, a
bus terminal, a bar street) chosen per seed. Times cover ``PERIOD_START`` to
``PERIOD_END`` with monthly seasonality, a weekly rhythm and an hour-of-day profile per crime
type, plus a gentle upward trend.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from plataforma.model.codes import Municipality, all_municipalities
from plataforma.synth.patterns import crime_mix, hour_weights, month_weights, weekday_weights
from plataforma.synth.rng import FloatArray, IntArray, stream

PERIOD_START = dt.date(2023, 1, 1)
PERIOD_END = dt.date(2024, 12, 31)
HOTSPOTS_PER_TYPE = 3
HOTSPOT_SHARE = 0.2
_CITY_SIGMA_DEG = 0.025
_HOTSPOT_SIGMA_DEG = 0.003


@dataclass(frozen=True)
class Scenes:
    """Place and time columns for a batch of incidents."""

    municipality: list[Municipality]
    latitude: FloatArray
    longitude: FloatArray
    occurred: npt.NDArray[np.datetime64]


@cache
def places() -> tuple[tuple[Municipality, ...], FloatArray]:
    towns = tuple(m for m in all_municipalities() if m.lat is not None and m.lon is not None)
    weights = np.array([float(m.population or 1) for m in towns])
    return towns, weights / weights.sum()


@cache
def _day_weights(profile: str) -> FloatArray:
    days = np.arange(
        np.datetime64(PERIOD_START), np.datetime64(PERIOD_END) + np.timedelta64(1, "D")
    )
    months = days.astype("datetime64[M]").astype(np.int64) % 12
    weekdays = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    trend = np.linspace(0.95, 1.05, len(days))
    w: FloatArray = month_weights(profile)[months] * weekday_weights(profile)[weekdays] * trend
    normalised: FloatArray = w / w.sum()
    return normalised


@cache
def hotspots(seed: int) -> tuple[IntArray, FloatArray, FloatArray]:
    """Hotspot towns and centres, each shaped (crime type index, hotspot)."""
    rng = stream(seed, 0xB07)
    towns, weights = places()
    shape = (len(crime_mix().codes), HOTSPOTS_PER_TYPE)
    chosen = rng.choice(len(towns), size=shape, p=weights).astype(np.int64)
    lat = np.array([t.lat for t in towns], dtype=np.float64)[chosen] + rng.normal(0, 0.01, shape)
    lon = np.array([t.lon for t in towns], dtype=np.float64)[chosen] + rng.normal(0, 0.01, shape)
    return chosen, lat, lon


def sample_scenes(rng: np.random.Generator, crime: IntArray, seed: int) -> Scenes:
    """Places and local times for incidents of crime type indices ``crime``."""
    n = len(crime)
    towns, weights = places()
    town = rng.choice(len(towns), size=n, p=weights)
    lat = np.array([t.lat for t in towns], dtype=np.float64)[town] + rng.normal(
        0, _CITY_SIGMA_DEG, n
    )
    lon = np.array([t.lon for t in towns], dtype=np.float64)[town] + rng.normal(
        0, _CITY_SIGMA_DEG, n
    )
    spot = np.flatnonzero(rng.random(n) < HOTSPOT_SHARE)
    which = rng.integers(0, HOTSPOTS_PER_TYPE, len(spot))
    spot_town, spot_lat, spot_lon = hotspots(seed)
    town[spot] = spot_town[crime[spot], which]
    lat[spot] = spot_lat[crime[spot], which] + rng.normal(0, _HOTSPOT_SIGMA_DEG, len(spot))
    lon[spot] = spot_lon[crime[spot], which] + rng.normal(0, _HOTSPOT_SIGMA_DEG, len(spot))
    return Scenes([towns[i] for i in town], lat.round(5), lon.round(5), sample_times(rng, crime))


def sample_times(rng: np.random.Generator, crime: IntArray) -> npt.NDArray[np.datetime64]:
    """Local times following each crime type's seasonal, weekly and daily rhythm."""
    mix = crime_mix()
    seconds = np.zeros(len(crime), dtype=np.int64)
    profiles = np.array(mix.profiles)[crime]
    start = np.datetime64(PERIOD_START, "s").astype(np.int64)
    for profile in np.unique(profiles):
        rows = np.flatnonzero(profiles == profile)
        day_w = _day_weights(str(profile))
        days = rng.choice(len(day_w), size=len(rows), p=day_w)
        hours = rng.choice(24, size=len(rows), p=hour_weights(str(profile)))
        seconds[rows] = start + days * 86400 + hours * 3600 + rng.integers(0, 3600, len(rows))
    return seconds.astype("datetime64[s]")
