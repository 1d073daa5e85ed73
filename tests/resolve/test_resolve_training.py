"""Training: u from random pairs, m by EM; defaults for small inputs."""

from __future__ import annotations

import json
import random
from pathlib import Path

from resolve_rows import curp, mentions, row

from plataforma.resolve import COMPARISONS, MatchModel, Resolver, default_model
from plataforma.resolve.blocking import BlockIndex
from plataforma.resolve.training import train

GIVEN = ["Juan", "Ana", "Luis", "Rosa", "Pedro", "Lucía", "Jorge", "Elena", "Raúl", "Sara"]
SURNAMES = [
    "Pérez",
    "López",
    "Zarza",
    "Ruiz",
    "Ortiz",
    "Núñez",
    "Peña",
    "Soto",
    "Vega",
    "Mora",
    "Ríos",
    "Luna",
    "Cano",
    "Gil",
    "Paz",
    "Rey",
]


def _people(count: int, seed: int = 1) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows = []
    for p in range(count):
        given, s1, s2 = rng.choice(GIVEN), rng.choice(SURNAMES), rng.choice(SURNAMES)
        born = f"19{rng.randint(50, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        for k in range(rng.choice([1, 2, 3])):
            second = s2 if rng.random() < 0.7 else ""
            rows.append(
                row(
                    f"{p}-{k}",
                    given_name=given,
                    first_surname=s1,
                    second_surname=second,
                    date_of_birth=born,
                    sex="H",
                    curp=curp(given, s1, s2, born, seed=p) if rng.random() < 0.3 else "",
                )
            )
    return rows


def test_trained_model_keeps_the_evidence_in_order() -> None:
    ms = mentions(*_people(700))
    index = BlockIndex()
    index.extend(ms)
    model = train(ms, index.pairs(), default_model())
    assert model.trained_on["source"] == "trained"
    names = {c.name: i for i, c in enumerate(COMPARISONS)}
    given, dob = model.weights[names["given_name"]], model.weights[names["date_of_birth"]]
    assert given[1] > 0 > given[-1]
    assert dob[1] > 5 and dob[-1] < -3
    assert model.weights[names["curp"]][1] > 10
    assert 0.05 <= model.matches_per_record <= 5


def test_small_inputs_keep_the_defaults() -> None:
    ms = mentions(*_people(20))
    index = BlockIndex()
    index.extend(ms)
    base = default_model()
    assert train(ms, index.pairs(), base) is base


def test_a_model_round_trips_through_json(tmp_path: Path) -> None:
    model = Resolver().resolve(mentions(*_people(700))).model
    path = tmp_path / "model.json"
    model.save(path)
    again = MatchModel.from_json(json.loads(path.read_text()))
    assert again.weights == model.weights
    assert again.matches_per_record == model.matches_per_record
