"""The generator: every record type of a synthetic national dataset, in batches, with truth.

``generate(scale, seed)`` yields ``(record_type, rows)`` pairs. Record batches hold dicts the
record models accept as they are (``validate(record_type, row)``); two extra kinds carry the
ground truth: ``truth_person`` rows (``record_id``, ``person_id``) say which person every
person mention really is, and ``truth_surge`` rows describe the planted anomaly. A
``record_id`` is ``<record_type>:<agency>:<source_ref>``, followed for persons embedded in
another record by ``:<pointer>`` (``incident:POL-14039:IPH-JAL-000000012:persons/0``).

Every chunk draws from its own stream of ``(seed, type, chunk)``, so the same seed gives the
same rows whatever the consumer does, and a different seed gives a different country.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from plataforma.synth.agencies import directory
from plataforma.synth.assets import firearm_batch, seizure_batch, vehicle_batch
from plataforma.synth.incidents import incident_batch
from plataforma.synth.patterns import crime_mix
from plataforma.synth.plan import Plan
from plataforma.synth.rng import stream
from plataforma.synth.subjects import person_batch, protection_order_batch, warrant_batch
from plataforma.synth.surge import plant_surge

Batch = tuple[str, list[dict[str, Any]]]
TRUTH_PERSON = "truth_person"
TRUTH_SURGE = "truth_surge"
_STREAM = {
    "person": 1,
    "vehicle": 2,
    "firearm": 3,
    "incident": 4,
    "warrant": 5,
    "protection_order": 6,
    "seizure": 7,
}


def generate(scale: int, seed: int) -> Iterator[Batch]:
    """Yield the dataset for ``scale`` incidents and ``seed``, batch by batch."""
    if scale < 1:
        raise ValueError("scale: at least 1 incident")
    plan = Plan(scale, seed)
    yield "agency", list(directory().rows)
    for record_type, builder in (
        ("vehicle", vehicle_batch),
        ("firearm", firearm_batch),
        ("seizure", seizure_batch),
    ):
        for k, (start, size) in enumerate(plan.chunks(plan.count(record_type))):
            yield record_type, builder(plan, stream(seed, _STREAM[record_type], k), start, size)
    for record_type, cast_builder in (
        ("person", person_batch),
        ("warrant", warrant_batch),
        ("protection_order", protection_order_batch),
    ):
        for k, (start, size) in enumerate(plan.chunks(plan.count(record_type))):
            rows, cast = cast_builder(plan, stream(seed, _STREAM[record_type], k), start, size)
            yield record_type, rows
            yield TRUTH_PERSON, cast.truth
    weights = crime_mix().weights / crime_mix().weights.sum()
    for k, (start, size) in enumerate(plan.chunks(scale)):
        rng = stream(seed, _STREAM["incident"], k)
        crime = rng.choice(len(weights), size=size, p=weights).astype(np.int64)
        batch, cast = incident_batch(plan, rng, start, crime)
        yield "incident", batch.incidents
        if batch.detentions:
            yield "detention", batch.detentions
        yield TRUTH_PERSON, cast.truth
    surge, truth, site = plant_surge(plan)
    yield "incident", surge.incidents
    if surge.detentions:
        yield "detention", surge.detentions
    yield TRUTH_PERSON, truth
    yield TRUTH_SURGE, [site]
