"""Registry records of vehicles and firearms, and seizures of drugs, cash and weapons."""

from __future__ import annotations

import random
from typing import Any

import numpy as np

from plataforma.synth import objects, vocab
from plataforma.synth.agencies import directory
from plataforma.synth.patterns import crime_mix
from plataforma.synth.plan import Cast, Plan
from plataforma.synth.scene import sample_scenes

Row = dict[str, Any]


def _owner_names(plan: Plan, rng: np.random.Generator, n: int) -> list[str]:
    cast = Cast(plan, plan.bystander_ids(rng, n), random.Random(0))
    return [cast.people.full_name(cast.row(i)) for i in cast.ids]


def vehicle_batch(plan: Plan, rng: np.random.Generator, start: int, n: int) -> list[Row]:
    """The state registries' vehicles ``start…``; the stolen ones carry REPUVE's status."""
    ids = np.arange(start, start + n, dtype=np.int64)
    stolen = objects.is_stolen(ids)
    owners = _owner_names(plan, rng, n)
    agencies, py = directory(), random.Random(rng.bytes(8))
    rows = []
    for i, fields in enumerate(objects.vehicles(ids, plan.seed)):
        agency = agencies.state_police(fields["plate_state"])
        row: Row = {"source_ref": f"VEH-{ids[i]:09d}", "agency": agency, **fields}
        row["owner_name"] = owners[i]
        if stolen[i]:
            row["theft_status"] = "recuperado" if py.random() < 0.2 else "robado"
            day = f"2024-{py.randint(1, 12):02d}-{py.randint(1, 28):02d}"
            row["reported_stolen_at"] = f"{day}T{py.randint(0, 23):02d}:00:00-06:00"
        rows.append(row)
    return rows


def firearm_batch(plan: Plan, rng: np.random.Generator, start: int, n: int) -> list[Row]:
    """The federal firearms registry's weapons ``start…`` with their status."""
    ids = np.arange(start, start + n, dtype=np.int64)
    owners = _owner_names(plan, rng, n)
    states = list(directory().state_abbr)
    rows = []
    for i, fields in enumerate(objects.firearms(ids, plan.seed)):
        rows.append(
            {
                "source_ref": f"ARM-{ids[i]:09d}",
                "agency": "SSPC",
                **fields,
                "registered_to": owners[i],
                "registry_state": states[int(ids[i]) % len(states)],
            }
        )
    return rows


def seizure_batch(plan: Plan, rng: np.random.Generator, start: int, n: int) -> list[Row]:
    """Seizures by the Guardia Nacional, the FGR and state police: drugs, cash, guns, cars."""
    drugs_code = np.full(n, _narcomenudeo_index())
    scenes = sample_scenes(rng, drugs_code, plan.seed)
    seized = np.datetime_as_string(scenes.occurred, unit="s")
    guns = objects.firearms(rng.integers(0, plan.arsenal, n), plan.seed)
    cars = objects.vehicles(objects.stolen_vehicle_ids(rng, n, plan.fleet), plan.seed)
    agencies, py = directory(), random.Random(rng.bytes(8))
    rows = []
    for i in range(n):
        town = scenes.municipality[i]
        agency = py.choice(["GN", "FGR", agencies.state_police(town.state)])
        row: Row = {
            "source_ref": f"ASEG-{start + i:09d}",
            "agency": agency,
            "seized_at": seized[i],
            "place": {
                "state": town.state,
                "municipality": town.code,
                "latitude": float(scenes.latitude[i]),
                "longitude": float(scenes.longitude[i]),
            },
            "operation": f"Operativo {py.choice(['Escudo', 'Relámpago', 'Frontera', 'Centinela'])}",
        }
        if py.random() < 0.7:
            substance, unit = py.choice(vocab.DRUGS)
            row["drugs"] = [
                {
                    "substance": substance,
                    "quantity": round(py.uniform(0.5, 500), 2),
                    "unit": unit,
                    "purity_pct": round(py.uniform(10, 95), 1),
                }
            ]
        if py.random() < 0.3:
            row["cash"] = [
                {"currency": py.choice(["MXN", "MXN", "USD"]), "amount": py.randint(10, 2000) * 100}
            ]
        if py.random() < 0.25:
            gun = {k: v for k, v in guns[i].items() if k != "firearm_status"}
            row["weapons"] = [{**gun, "quantity": 1}]
        if py.random() < 0.15 or not ({"drugs", "cash", "weapons"} & row.keys()):
            row["conveyances"] = [{**cars[i], "kind": "vehicle"}]
        rows.append(row)
    return rows


def _narcomenudeo_index() -> int:
    return crime_mix().codes.index("narcomenudeo")
