"""Synthetic identities: who a person really is, hashed from the person's id.

Person ids ``0 .. offenders-1`` are the offender population (mostly men, 16–65, often with an
apodo); higher ids are the general population (victims, witnesses, complainants, protected
persons). Because every attribute is a hash of (seed, id), a person mentioned by ten agencies
is the same person in all ten before the clerks get to them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from plataforma.model.codes import Municipality, all_municipalities, all_states, resolve_state
from plataforma.model.values import make_curp
from plataforma.synth import vocab
from plataforma.synth.rng import IntArray, pick, unit, weighted

# Surnames Mexicans carry most often; Faker's list is unweighted, reality is not, and
# namesakes are what makes entity resolution hard.
_COMMON_SURNAMES = frozenset(
    {
        "Hernández",
        "García",
        "Martínez",
        "López",
        "González",
        "Pérez",
        "Rodríguez",
        "Sánchez",
        "Ramírez",
        "Cruz",
        "Flores",
        "Gómez",
        "Morales",
        "Vázquez",
        "Reyes",
        "Jiménez",
        "Torres",
    }
)
REFERENCE_DATE = dt.date(2024, 12, 31)
_EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class Identities:
    """Columns describing the persons ``ids``; row ``i`` is person ``ids[i]``."""

    ids: IntArray
    given_names: list[str]
    first_surname: list[str]
    second_surname: list[str]
    sex: list[str]
    date_of_birth: list[str]
    birth_state: list[str]
    born_days: list[int]
    alias: list[str | None]
    municipality: list[Municipality]
    street: list[str]
    phone: list[str]

    def curp(self, i: int) -> str:
        """The person's CURP, built on demand: most mentions do not carry one."""
        born = _EPOCH + dt.timedelta(days=self.born_days[i])
        state = resolve_state(self.birth_state[i]).curp
        return make_curp(
            self.given_names[i],
            self.first_surname[i],
            self.second_surname[i],
            born,
            self.sex[i],
            state,
            int(self.ids[i]),
        )

    def full_name(self, i: int) -> str:
        return f"{self.given_names[i]} {self.first_surname[i]} {self.second_surname[i]}"

    def reference(self, i: int, with_curp: bool = True) -> dict[str, Any]:
        """Person fields as a clerk who copies them faithfully would write them."""
        ref: dict[str, Any] = {
            "given_names": self.given_names[i],
            "first_surname": self.first_surname[i],
            "second_surname": self.second_surname[i],
            "sex": self.sex[i],
            "date_of_birth": self.date_of_birth[i],
            "birth_state": self.birth_state[i],
            "nationality": "MX",
        }
        if with_curp:
            ref["curp"] = self.curp(i)
        if self.alias[i]:
            ref["aliases"] = [self.alias[i]]
        return ref


def person_id(identity: int) -> str:
    """The ground-truth label of a synthetic person."""
    return f"P{identity:09d}"


def _surname_weights() -> np.ndarray:
    names = vocab.surnames()
    return np.array([15.0 if n in _COMMON_SURNAMES else 1.0 for n in names])


def _municipality_weights() -> tuple[list[Municipality], np.ndarray]:
    places = [m for m in all_municipalities() if m.lat is not None and m.lon is not None]
    return places, np.array([float(m.population or 1) for m in places])


def identities(ids: IntArray, seed: int, offenders: int) -> Identities:
    """Attributes of persons ``ids`` (vectorised; only the CURP is built per row)."""
    is_offender = ids < offenders
    male = unit(ids, seed, 1) < np.where(is_offender, 0.86, 0.49)
    sexes = np.where(male, "H", "M")
    first = _given(ids, seed, male, 2)
    compound = unit(ids, seed, 3) < 0.35
    second = _given(ids, seed, male, 4)
    marian = unit(ids, seed, 5) < 0.4  # "María …" and "José …" head many compound names
    lead = np.where(male, "José", "María")
    given = np.where(
        compound, np.char.add(np.char.add(np.where(marian, lead, first), " "), second), first
    )
    sur_weights = _surname_weights()
    sur = vocab.surnames()
    s1 = sur[weighted(unit(ids, seed, 6), sur_weights)]
    s2 = sur[weighted(unit(ids, seed, 7), sur_weights)]
    ages = np.where(
        is_offender,
        16 + 49 * unit(ids, seed, 8) ** 1.8,  # young adults dominate arrests
        1 + 84 * unit(ids, seed, 8) ** 1.2,
    )
    born = (REFERENCE_DATE - _EPOCH).days - (ages * 365.25).astype(np.int64)
    dob = np.datetime_as_string(np.array(born, dtype="datetime64[D]"))
    places, weights = _municipality_weights()
    home = weighted(unit(ids, seed, 9), weights)
    states = [s.code for s in all_states()]
    moved = unit(ids, seed, 10) < 0.2
    other_state = pick(ids, seed, 11, len(states))
    birth_state = [
        states[int(o)] if m else places[int(h)].state
        for m, o, h in zip(moved, other_state, home, strict=True)
    ]
    alias_list = {s: vocab.aliases(s) for s in ("H", "M")}
    alias_pick = pick(ids, seed, 12, 10_000)
    has_alias = is_offender & (unit(ids, seed, 13) < 0.45)
    streets = vocab.street_names()[pick(ids, seed, 14, len(vocab.street_names()))]
    numbers = 1 + pick(ids, seed, 15, 2400)
    # Ten digits not starting with 0 or 1, as Mexican numbers are dialled since 2019.
    phones = (pick(ids, seed, 16, 8_000_000_000) + 2_000_000_000).astype(str)
    return Identities(
        ids=ids,
        given_names=given.tolist(),
        first_surname=s1.tolist(),
        second_surname=s2.tolist(),
        sex=sexes.tolist(),
        date_of_birth=dob.tolist(),
        birth_state=birth_state,
        born_days=born.tolist(),
        alias=[
            str(alias_list[s][k % len(alias_list[s])]) if h else None
            for s, k, h in zip(sexes, alias_pick, has_alias, strict=True)
        ],
        municipality=[places[int(h)] for h in home],
        street=[f"{s} {n}" for s, n in zip(streets, numbers, strict=True)],
        phone=phones.tolist(),
    )


def _given(ids: IntArray, seed: int, male: np.ndarray, salt: int) -> np.ndarray:
    men, women = vocab.given_names("H"), vocab.given_names("M")
    return np.where(
        male, men[pick(ids, seed, salt, len(men))], women[pick(ids, seed, salt, len(women))]
    )
