"""The planted anomaly: an extortion wave in one city in the dataset's last month.

Trend detection needs something true to find. The surge adds several times the expected
monthly count of extortions to one large municipality (chosen by the seed) in the final
month, on top of the normal background, and the ground truth names area, crime and month.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from plataforma.synth.incidents import IncidentBatch, incident_batch
from plataforma.synth.patterns import crime_mix
from plataforma.synth.plan import Plan
from plataforma.synth.rng import stream
from plataforma.synth.scene import PERIOD_END, Scenes, places

SURGE_CRIME = "extorsion"
SURGE_FACTOR = 5.0
MIN_SURGE = 12
_LARGE_CITY = 500_000


def surge_site(plan: Plan) -> tuple[int, int, float]:
    """(town index, extra incidents, expected background count) of the surge."""
    towns, weights = places()
    large = [i for i, t in enumerate(towns) if (t.population or 0) >= _LARGE_CITY]
    town = large[int(stream(plan.seed, 0x5E).integers(0, len(large)))]
    mix = crime_mix()
    share = mix.weights[mix.codes.index(SURGE_CRIME)] / mix.weights.sum()
    months = (PERIOD_END.year - 2023) * 12 + PERIOD_END.month
    expected = plan.scale * share * weights[town] / months
    return town, max(MIN_SURGE, math.ceil(SURGE_FACTOR * expected)), float(expected)


def plant_surge(plan: Plan) -> tuple[IncidentBatch, list[dict[str, str]], dict[str, Any]]:
    """The surge's incidents, their person truth and the surge's own truth row."""
    town_index, extra, expected = surge_site(plan)
    towns, _ = places()
    town = towns[town_index]
    rng = stream(plan.seed, 0x5E, 1)
    first = np.datetime64(PERIOD_END.replace(day=1), "s")
    days = rng.integers(0, PERIOD_END.day, extra)
    hours = rng.integers(9, 19, extra)
    occurred = first + (days * 86400 + hours * 3600 + rng.integers(0, 3600, extra)).astype(
        "timedelta64[s]"
    )
    assert town.lat is not None and town.lon is not None
    scenes = Scenes(
        [town] * extra,
        (town.lat + rng.normal(0, 0.02, extra)).round(5),
        (town.lon + rng.normal(0, 0.02, extra)).round(5),
        occurred,
    )
    crime = np.full(extra, crime_mix().codes.index(SURGE_CRIME), dtype=np.int64)
    batch, cast = incident_batch(plan, rng, plan.scale, crime, scenes)
    truth = {
        "area": town.code,
        "area_name": town.name,
        "state": town.state,
        "crime_type": SURGE_CRIME,
        "period_start": PERIOD_END.replace(day=1).isoformat(),
        "extra_incidents": extra,
        "expected_background": round(expected, 2),
    }
    return batch, cast.truth, truth
