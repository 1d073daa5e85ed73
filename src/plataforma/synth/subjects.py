"""Records about one person: offender files (person), warrants and protection orders.

Their subjects are drawn from the offender population with a heavy-tailed but bounded law
(``plan.ACTIVITY_ALPHA``), so the same man appears in a municipal IPH, a state prosecutor's
file and a warrant, each written slightly differently; the ground truth says they are one
person.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import numpy as np

from plataforma.synth import vocab
from plataforma.synth.agencies import directory
from plataforma.synth.patterns import crime_mix
from plataforma.synth.plan import Cast, Plan
from plataforma.synth.scene import PERIOD_END, PERIOD_START

Row = dict[str, Any]
_SPAN_DAYS = (PERIOD_END - PERIOD_START).days


def _day(rng: random.Random) -> dt.date:
    return PERIOD_START + dt.timedelta(days=rng.randrange(_SPAN_DAYS + 1))


def person_batch(
    plan: Plan, rng: np.random.Generator, start: int, n: int
) -> tuple[list[Row], Cast]:
    """Offenders' files held by state prosecutors and police."""
    subjects = plan.offender_ids(rng, n)
    cast = Cast(plan, subjects, random.Random(rng.bytes(8)))
    agencies, people, py = directory(), cast.people, cast.rng
    rows = []
    for i, pid in enumerate(subjects):
        k = cast.row(pid)
        town = people.municipality[k]
        agency = (
            agencies.prosecutor(town.state)
            if py.random() < 0.6
            else agencies.state_police(town.state)
        )
        source_ref = f"PER-{start + i:09d}"
        row: Row = {"source_ref": source_ref, "agency": agency}
        row.update(cast.written(pid, f"person:{agency}:{source_ref}", 0.3, 0.7))
        row["addresses"] = [
            {"street": people.street[k], "municipality": town.code, "state": town.state}
        ]
        if py.random() < 0.6:
            row["phones"] = [people.phone[k]]
        curp = people.curp(k)
        if py.random() < 0.5:
            ine = f"{curp[:4]}{curp[13:15]}{curp[4:10]}{town.state}{curp[10]}{int(pid) % 1000:03d}"
            row["documents"] = [{"kind": "ine", "number": ine, "country": "MX"}]
        row["description"] = {
            "height_cm": 150 + int(pid) % 40,
            "build": py.choice(vocab.BUILDS),
            "hair": py.choice(vocab.HAIR),
            "marks": py.sample(vocab.MARKS, py.randrange(3)),
        }
        rows.append(row)
    return rows, cast


def warrant_batch(
    plan: Plan, rng: np.random.Generator, start: int, n: int
) -> tuple[list[Row], Cast]:
    """Arrest and appearance warrants; about one in eight armed and dangerous."""
    subjects = plan.offender_ids(rng, n)
    cast = Cast(plan, subjects, random.Random(rng.bytes(8)))
    mix = crime_mix()
    serious = np.array(
        [w * (4.0 if p == "night" else 1.0) for w, p in zip(mix.weights, mix.profiles, strict=True)]
    )
    crimes = rng.choice(len(mix.codes), size=n, p=serious / serious.sum())
    agencies, py = directory(), cast.rng
    rows = []
    for i, pid in enumerate(subjects):
        town = cast.people.municipality[cast.row(pid)]
        federal = py.random() < 0.1
        agency = "FGR" if federal else agencies.prosecutor(town.state)
        source_ref = f"OA-{start + i:09d}"
        issued = _day(py)
        row: Row = {"source_ref": source_ref, "agency": agency}
        row.update(cast.written(pid, f"warrant:{agency}:{source_ref}", 0.3, 0.6))
        armed = py.random() < 0.12
        row.update(
            {
                "warrant_type": py.choices(
                    ["aprehension", "comparecencia", "reaprehension"], [8, 1, 1]
                )[0],
                "case_number": f"CP-{start + i}/{issued.year}",
                "issued_by": f"Juzgado de Control de {town.name}",
                "issued_at": issued.isoformat(),
                "issuing_state": town.state,
                "crime_types": [mix.codes[crimes[i]]],
                "armed_and_dangerous": armed,
            }
        )
        if armed:
            row["caveats"] = "Armado y peligroso: aproximarse con precaución."
        rows.append(row)
    return rows, cast


def protection_order_batch(
    plan: Plan, rng: np.random.Generator, start: int, n: int
) -> tuple[list[Row], Cast]:
    """Protection orders: the respondent is the subject, the protected person is embedded."""
    respondents = plan.offender_ids(rng, n)
    protected = plan.bystander_ids(rng, n)
    cast = Cast(plan, np.concatenate([respondents, protected]), random.Random(rng.bytes(8)))
    agencies, py = directory(), cast.rng
    rows = []
    for i, pid in enumerate(respondents):
        town = cast.people.municipality[cast.row(pid)]
        agency = agencies.prosecutor(town.state)
        source_ref = f"MP-{start + i:09d}"
        record_id = f"protection_order:{agency}:{source_ref}"
        issued = _day(py)
        row: Row = {"source_ref": source_ref, "agency": agency}
        row.update(cast.written(pid, record_id, 0.3, 0.4))
        row.update(
            {
                "protected": {
                    **cast.written(protected[i], f"{record_id}:protected", 0.2, 0.3),
                    "role": "victim",
                },
                "issued_by": f"Ministerio Público de {agency}",
                "issued_at": issued.isoformat(),
                "expires_at": (issued + dt.timedelta(days=60)).isoformat(),
                "order_type": "medida de protección",
                "conditions": py.sample(
                    [
                        "prohibición de acercarse a la víctima",
                        "prohibición de comunicarse",
                        "separación del domicilio",
                        "vigilancia policial en el domicilio",
                    ],
                    2,
                ),
                "case_number": f"CI-{agency}-{start + i}",
                "state": town.state,
            }
        )
        rows.append(row)
    return rows, cast
