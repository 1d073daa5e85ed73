"""Vehicles and firearms of the synthetic country, hashed from their ids like persons.

Vehicle ``v`` is stolen when ``v % 20 == STOLEN_RESIDUE`` (5 %, about REPUVE's share of
theft reports in the active fleet), so an incident of vehicle theft can name a stolen
vehicle without a lookup table, and its plate and VIN then hit the vehicle's own record.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from plataforma.model.values import make_vin
from plataforma.synth import vocab
from plataforma.synth.rng import IntArray, pick, unit, weighted
from plataforma.synth.scene import places

STOLEN_EVERY = 20
STOLEN_RESIDUE = 7
_LETTERS = np.array(list("ABCDEFGHJKLMNPRSTUVWXYZ"))
_DIGITS = np.array(list("0123456789"))


def stolen_vehicle_ids(rng: np.random.Generator, count: int, fleet: int) -> IntArray:
    """Ids of ``count`` vehicles reported stolen, drawn from a fleet of size ``fleet``."""
    slots = max(1, fleet // STOLEN_EVERY)
    return rng.integers(0, slots, count) * STOLEN_EVERY + STOLEN_RESIDUE


def is_stolen(ids: IntArray) -> npt.NDArray[np.bool_]:
    stolen: npt.NDArray[np.bool_] = (ids % STOLEN_EVERY) == STOLEN_RESIDUE
    return stolen


def _chars(ids: IntArray, seed: int, salt: int, alphabet: np.ndarray, n: int) -> np.ndarray:
    out = alphabet[pick(ids, seed, salt, len(alphabet))]
    for k in range(1, n):
        out = np.char.add(out, alphabet[pick(ids, seed, salt + k, len(alphabet))])
    return out


def vehicles(ids: IntArray, seed: int) -> list[dict[str, Any]]:
    """VehicleFields dicts of vehicles ``ids`` (plate "ABC-123-D", valid VIN, model…)."""
    towns, weights = places()
    home = weighted(unit(ids, seed, 40), weights)
    plate = np.char.add(
        np.char.add(_chars(ids, seed, 41, _LETTERS, 3), "-"),
        np.char.add(
            np.char.add(_chars(ids, seed, 45, _DIGITS, 3), "-"), _chars(ids, seed, 49, _LETTERS, 1)
        ),
    )
    models = pick(ids, seed, 50, len(vocab.VEHICLE_MODELS))
    colours = pick(ids, seed, 51, len(vocab.VEHICLE_COLOURS))
    years = 2024 - (24 * unit(ids, seed, 52) ** 1.5).astype(np.int64)
    rows = []
    for i, vehicle in enumerate(ids):
        make, model, kind = vocab.VEHICLE_MODELS[models[i]]
        rows.append(
            {
                "plate": str(plate[i]),
                "plate_state": towns[home[i]].state,
                "vin": make_vin(seed * 10_000_000_000 + int(vehicle)),
                "make": make,
                "model": model,
                "year": int(years[i]),
                "colour": vocab.VEHICLE_COLOURS[colours[i]],
                "vehicle_type": kind,
            }
        )
    return rows


FIREARM_STATUSES = ("registered", "stolen", "lost", "seized")
_STATUS_WEIGHTS = np.array([0.80, 0.08, 0.04, 0.08])


def firearms(ids: IntArray, seed: int) -> list[dict[str, Any]]:
    """FirearmFields dicts of firearms ``ids`` plus their registry status."""
    kinds = pick(ids, seed, 60, len(vocab.FIREARMS))
    serial = np.char.add(_chars(ids, seed, 61, _LETTERS, 3), _chars(ids, seed, 64, _DIGITS, 6))
    status = weighted(unit(ids, seed, 70), _STATUS_WEIGHTS)
    rows = []
    for i in range(len(ids)):
        make, model, calibre, kind = vocab.FIREARMS[kinds[i]]
        rows.append(
            {
                "serial": str(serial[i]),
                "make": make,
                "model": model,
                "calibre": calibre,
                "firearm_type": kind,
                "firearm_status": FIREARM_STATUSES[status[i]],
            }
        )
    return rows
