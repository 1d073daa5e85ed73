"""How many of each thing a dataset of a given scale holds, and the people it draws from.

``scale`` is the number of incidents (IPHs). Everything else is proportional:

======================  ===========================================================
record type             count
======================  ===========================================================
incident                scale (+ the planted surge)
detention               one per detainee in an incident's annex A (~0.2 × scale)
person                  0.30 × scale (offenders' files at prosecutors and police)
vehicle                 0.20 × scale (registry; 5 % stolen)
firearm                 0.05 × scale (registry)
warrant                 0.05 × scale
protection_order        0.03 × scale
seizure                 0.04 × scale
agency                  5 federal + 3 per state + 1 per packaged municipality
======================  ===========================================================

so a dataset holds about ``RECORDS_PER_INCIDENT`` records per incident. Offenders are a
population of ``scale / 4`` persons whose mentions follow a heavy-tailed but bounded law
(most have one record of a kind, a few percent a dozen or more, nobody hundreds: see
``ACTIVITY_ALPHA``); victims and witnesses come from a general population of ``2 × scale``.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from plataforma.synth import clerk
from plataforma.synth.people import Identities, identities, person_id
from plataforma.synth.rng import FloatArray, IntArray

RATIOS = {
    "person": 0.30,
    "vehicle": 0.20,
    "firearm": 0.05,
    "warrant": 0.05,
    "protection_order": 0.03,
    "seizure": 0.04,
}
RECORDS_PER_INCIDENT = 1.0 + 0.2 + sum(RATIOS.values())
CHUNK = 5000
# Repeat offending. Criminal careers are heavy-tailed (in Wolfgang's Philadelphia cohort 6 % of
# the boys had half of the police contacts) but bounded: nobody is written down hundreds of
# times in the dataset's two years. Offender ``id`` has activity ``min(ACTIVITY_CAP, x^(-1/α))``
# at rank ``x = (id + ½) / offenders``: a Pareto law of tail index ACTIVITY_ALPHA = 1.5 (the
# top percent about ten times as active as the median), cut at ACTIVITY_CAP = 15 (reached by
# the most active 1.7 %). Each record draws its subject in proportion to activity, so the
# expected count per person does not grow with the scale: with the RATIOS above the most
# active expect about 7 person files and 20 incidents, and the Poisson scatter of a draw keeps
# the realised maximum within a few dozen of each (tests/synth/test_synth_offenders.py).
ACTIVITY_ALPHA = 1.5
ACTIVITY_CAP = 15.0


@lru_cache(maxsize=4)
def activity_cdf(offenders: int) -> FloatArray:
    """Cumulative activity of offenders ``0 .. offenders-1`` (id 0 the most active)."""
    rank = (np.arange(offenders, dtype=np.float64) + 0.5) / offenders
    activity = np.minimum(ACTIVITY_CAP, rank ** (-1.0 / ACTIVITY_ALPHA))
    cumulative: FloatArray = np.cumsum(activity)
    return cumulative


@dataclass(frozen=True)
class Plan:
    scale: int
    seed: int

    @property
    def offenders(self) -> int:
        return max(40, self.scale // 4)

    @property
    def population(self) -> int:
        return self.offenders + max(200, self.scale * 2)

    @property
    def fleet(self) -> int:
        return self.count("vehicle")

    @property
    def arsenal(self) -> int:
        return self.count("firearm")

    def count(self, record_type: str) -> int:
        return max(5, math.ceil(self.scale * RATIOS[record_type]))

    def chunks(self, total: int) -> list[tuple[int, int]]:
        """(start, size) of each chunk of ``total`` rows."""
        return [(start, min(CHUNK, total - start)) for start in range(0, total, CHUNK)]

    def offender_ids(self, rng: np.random.Generator, n: int) -> IntArray:
        """``n`` offenders drawn in proportion to their activity (see ``ACTIVITY_ALPHA``)."""
        cdf = activity_cdf(self.offenders)
        ids = np.searchsorted(cdf, rng.random(n) * cdf[-1], side="right")
        drawn: IntArray = np.minimum(ids, self.offenders - 1).astype(np.int64)
        return drawn

    def bystander_ids(self, rng: np.random.Generator, n: int) -> IntArray:
        return rng.integers(self.offenders, self.population, n)


@dataclass
class Cast:
    """The persons one chunk mentions, computed once, written down by fallible clerks."""

    plan: Plan
    ids: IntArray
    rng: random.Random
    truth: list[dict[str, str]] = field(default_factory=list)
    _people: Identities | None = field(init=False, default=None)
    _index: dict[int, int] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        unique = np.unique(self.ids)
        self._people = identities(unique, self.plan.seed, self.plan.offenders)
        self._index = {int(p): i for i, p in enumerate(unique)}

    @property
    def people(self) -> Identities:
        assert self._people is not None
        return self._people

    def row(self, pid: int) -> int:
        return self._index[int(pid)]

    def written(
        self, pid: int, record_id: str, error_rate: float, curp_rate: float
    ) -> dict[str, Any]:
        """Person ``pid`` as one clerk wrote them in ``record_id``; noted in the ground truth."""
        person = self.people.reference(self.row(pid), self.rng.random() < curp_rate)
        if self.rng.random() < 0.5:
            person.pop("birth_state")
        self.truth.append({"record_id": record_id, "person_id": person_id(int(pid))})
        return clerk.as_written(person, self.rng, error_rate)
