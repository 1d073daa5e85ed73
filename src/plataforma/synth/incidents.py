"""IPHs with their annexes, and the RND detention record of every detainee in annex A.

The detention record is written separately by the arresting agency, so the same detainee
appears twice, copied by two different clerks: the first, easiest link the resolver should
make, with ``incident_folio`` tying the two records together.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from plataforma.model.codes import resolve_state
from plataforma.synth import objects, vocab
from plataforma.synth.agencies import directory
from plataforma.synth.patterns import crime_mix
from plataforma.synth.plan import Cast, Plan
from plataforma.synth.rng import IntArray
from plataforma.synth.scene import Scenes, sample_scenes

Row = dict[str, Any]
_DETAIN_RATE = {"drugs": 0.75, "night": 0.35, "family": 0.35, "street": 0.25}
_NARRATIVE = {
    "street": "Se recibe reporte de robo en la vía pública; la víctima refiere que el "
    "probable responsable la amagó y huyó con sus pertenencias.",
    "home": "Se atiende reporte en domicilio particular; se observan daños en acceso y "
    "faltantes reportados por el propietario.",
    "business": "Se atiende llamado al 911 por robo en establecimiento comercial; el "
    "encargado describe a los probables responsables.",
    "family": "Se atiende reporte de agresión en domicilio; la víctima refiere "
    "antecedentes de violencia por parte de un familiar.",
    "night": "Se acude al lugar por reporte de persona lesionada o sin vida; se "
    "preserva el lugar de intervención y se da aviso al Ministerio Público.",
    "office": "Se recibe denuncia; la persona refiere haber sido víctima de engaño o "
    "amenazas para obtener un beneficio económico.",
    "drugs": "Durante recorrido de vigilancia se realiza inspección a persona a quien se "
    "le encuentran envoltorios con sustancia con características de narcótico.",
}


@dataclass
class IncidentBatch:
    incidents: list[Row] = field(default_factory=list)
    detentions: list[Row] = field(default_factory=list)


def incident_batch(
    plan: Plan, rng: np.random.Generator, start: int, crime: IntArray, scenes: Scenes | None = None
) -> tuple[IncidentBatch, Cast]:
    """Incidents numbered ``start…`` of crime type indices ``crime`` (places drawn if absent)."""
    n = len(crime)
    scenes = scenes or sample_scenes(rng, crime, plan.seed)
    mix = crime_mix()
    victims = plan.bystander_ids(rng, n)
    witnesses = plan.bystander_ids(rng, n)
    culprits = plan.offender_ids(rng, 3 * n).reshape(n, 3)
    profiles = [mix.profiles[c] for c in crime]
    n_culprits = np.minimum(rng.poisson(0.7, n), 3)
    owner_draw = rng.random(n)
    codes = np.array(mix.codes)[crime]
    # Annex objects are decided up front so that only the ones used are built.
    stolen = codes == "robo_de_vehiculo_automotor"
    inspected = ~stolen & (rng.random(n) < 0.08)
    vehicle_ids = np.where(
        stolen, objects.stolen_vehicle_ids(rng, n, plan.fleet), rng.integers(0, plan.fleet, n)
    )
    with_vehicle = np.flatnonzero(stolen | inspected)
    armed_profile = np.isin(np.array(profiles), ["night", "street", "drugs"])
    with_gun = np.flatnonzero(armed_profile & (rng.random(n) < 0.15))
    gun_ids = rng.integers(0, plan.arsenal, len(with_gun))
    delay = rng.integers(5, 240, n).astype("timedelta64[m]")
    occurred = np.datetime_as_string(scenes.occurred, unit="s")
    reported = np.datetime_as_string(scenes.occurred + delay, unit="s")
    cast = Cast(
        plan, np.concatenate([victims, witnesses, culprits.ravel()]), random.Random(rng.bytes(8))
    )
    # Officers are drawn beyond the population so no officer is also a victim or offender.
    officers = plan.population + rng.integers(0, max(50, plan.scale // 10), n)
    officer_cast = Cast(plan, officers, random.Random(0))
    vehicles = dict(
        zip(
            with_vehicle.tolist(),
            objects.vehicles(vehicle_ids[with_vehicle], plan.seed),
            strict=True,
        )
    )
    guns = dict(zip(with_gun.tolist(), objects.firearms(gun_ids, plan.seed), strict=True))
    agencies = directory()
    batch = IncidentBatch()
    py = cast.rng
    for i in range(n):
        town = scenes.municipality[i]
        abbr = agencies.state_abbr[town.state]
        if owner_draw[i] < 0.7:
            agency = agencies.municipal_police(town.code)
        elif owner_draw[i] < 0.92:
            agency = agencies.state_police(town.state)
        else:
            agency = "GN"
        folio = f"IPH-{abbr}-{start + i:09d}"
        base = f"incident:{agency}:{folio}"
        code, profile = mix.codes[crime[i]], profiles[i]
        officer = officer_cast.people
        o = officer_cast.row(officers[i])
        row: Row = {
            "source_ref": folio,
            "agency": agency,
            "folio": folio,
            "first_responder": {
                "name": officer.full_name(o),
                "agency": agency,
                "unit": f"Unidad {int(officers[i]) % 900 + 100}",
                "rank": vocab.RANKS[int(officers[i]) % len(vocab.RANKS)],
                "badge": f"{int(officers[i]) % 100000:05d}",
            },
            "occurred_at": occurred[i],
            "reported_at": reported[i],
            "place": {
                "state": town.state,
                "municipality": town.code,
                "street": cast.people.street[cast.row(victims[i])],
                "latitude": float(scenes.latitude[i]),
                "longitude": float(scenes.longitude[i]),
            },
            "crime_types": [code],
            "narrative": _NARRATIVE[profile],
        }
        persons: list[Row] = []
        if profile != "drugs":
            persons.append(
                {**cast.written(victims[i], f"{base}:persons/0", 0.25, 0.2), "role": "victim"}
            )
        if py.random() < 0.15:
            ref = f"{base}:persons/{len(persons)}"
            persons.append({**cast.written(witnesses[i], ref, 0.25, 0.1), "role": "witness"})
        detentions: list[Row] = []
        for pid in culprits[i, : n_culprits[i] + (profile == "drugs")]:
            if py.random() < _DETAIN_RATE.get(profile, 0.15):
                ref = f"{base}:detentions/{len(detentions)}/person"
                person = {**cast.written(pid, ref, 0.4, 0.3), "role": "detainee"}
                detained_at = _aware(occurred[i], town.state)
                detentions.append(
                    {"person": person, "detained_at": detained_at, "reason": "flagrancia"}
                )
                batch.detentions.append(
                    _detention(cast, pid, agency, folio, len(detentions), row, code)
                )
            else:
                ref = f"{base}:persons/{len(persons)}"
                persons.append(
                    {**cast.written(pid, ref, 0.45, 0.1), "role": "probable_responsible"}
                )
        row["persons"] = persons
        row["detentions"] = detentions
        if i in vehicles:
            reason = "vehículo reportado como robado" if stolen[i] else "inspección"
            row["vehicles"] = [{**vehicles[i], "reason": reason}]
        if i in guns:
            gun = {k: v for k, v in guns[i].items() if k != "firearm_status"}
            if py.random() < 0.3:
                gun["serial"] = py.choice(["LIMADO", "S/N", "ILEGIBLE"])
            row["weapons"] = [{**gun, "found_with": "probable responsable"}]
        if profile == "drugs":
            row["objects"] = [
                {
                    "description": "envoltorios con sustancia granulada",
                    "quantity": py.randint(2, 60),
                    "unit": "piezas",
                }
            ]
        batch.incidents.append(row)
    return batch, cast


def _aware(local: str, state: str) -> str:
    """Annex times carry an offset (the model reads only top-level times as local)."""
    moment = dt.datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(resolve_state(state).tz))
    return moment.isoformat()


def _detention(
    cast: Cast, pid: int, agency: str, folio: str, number: int, incident: Row, code: str
) -> Row:
    """The RND record of a detainee, copied by the arresting agency's own clerk."""
    source_ref = f"RND-{folio}-{number}"
    subject = cast.written(pid, f"detention:{agency}:{source_ref}", 0.35, 0.5)
    subject.pop("role", None)
    state = incident["place"]["state"]
    return {
        "source_ref": source_ref,
        "agency": agency,
        **subject,
        "detained_at": incident["occurred_at"],
        "place": {k: incident["place"][k] for k in ("state", "municipality", "street")},
        "detention_type": "flagrancia",
        "reasons": [code],
        "arresting_officers": [incident["first_responder"]["name"]],
        "arresting_agency": agency,
        "receiving_authority": f"Ministerio Público de {directory().prosecutor(state)}",
        "incident_folio": folio,
    }
