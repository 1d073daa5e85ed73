"""The generator: deterministic per seed, every row valid, ground truth consistent."""

from __future__ import annotations

import copy
from collections import Counter, defaultdict
from typing import Any

import pytest

from plataforma.model.values import parse_curp
from plataforma.records.service import validate
from plataforma.synth import TRUTH_PERSON, TRUTH_SURGE, generate
from plataforma.synth.mentions import person_mentions

SCALE = 200


def _dataset(seed: int) -> list[tuple[str, list[dict[str, Any]]]]:
    return list(generate(SCALE, seed))


@pytest.fixture(scope="module")
def dataset() -> list[tuple[str, list[dict[str, Any]]]]:
    return _dataset(11)


def _rows(dataset: list[tuple[str, list[dict[str, Any]]]], kind: str) -> list[dict[str, Any]]:
    return [row for k, rows in dataset if k == kind for row in rows]


def test_same_seed_same_rows_different_seed_different(dataset: Any) -> None:
    assert _dataset(11) == dataset
    other = _dataset(12)
    assert _rows(other, "incident") != _rows(dataset, "incident")
    assert _rows(other, "person") != _rows(dataset, "person")


def test_every_record_type_is_generated_and_every_row_validates(dataset: Any) -> None:
    counts: Counter[str] = Counter()
    for kind, rows in dataset:
        if kind in (TRUTH_PERSON, TRUTH_SURGE):
            continue
        for row in rows:
            # A deep copy: validation localises times in the payload it is given.
            validate(kind, copy.deepcopy(row))  # raises InvalidRecord naming the field
        counts[kind] += len(rows)
    expected = {
        "agency",
        "person",
        "vehicle",
        "firearm",
        "incident",
        "detention",
        "warrant",
        "protection_order",
        "seizure",
    }
    assert set(counts) == expected
    assert counts["incident"] >= SCALE


def test_source_refs_are_unique_per_agency_and_type(dataset: Any) -> None:
    for kind in ("incident", "person", "detention", "warrant", "vehicle"):
        keys = [(r["agency"], r["source_ref"]) for r in _rows(dataset, kind)]
        assert len(keys) == len(set(keys)), kind


def test_curps_are_valid_except_the_deliberate_typos(dataset: Any) -> None:
    curps = [r["curp"] for r in _rows(dataset, "person") if r.get("curp")]
    valid = [c for c in curps if parse_curp(c).valid]
    assert curps and len(valid) / len(curps) > 0.9


def test_truth_names_every_person_mention_once(dataset: Any) -> None:
    truth = {row["record_id"]: row["person_id"] for row in _rows(dataset, TRUTH_PERSON)}
    mentioned = [
        record_id
        for kind, rows in dataset
        if kind not in (TRUTH_PERSON, TRUTH_SURGE)
        for row in rows
        for record_id, _ in person_mentions(kind, row)
    ]
    assert len(mentioned) == len(set(mentioned))
    assert set(mentioned) == set(truth)


def test_repeat_offenders_appear_across_agencies_with_clerk_errors(dataset: Any) -> None:
    truth = {row["record_id"]: row["person_id"] for row in _rows(dataset, TRUTH_PERSON)}
    written: dict[str, list[dict[str, Any]]] = defaultdict(list)
    agencies: dict[str, set[str]] = defaultdict(set)
    for kind, rows in dataset:
        if kind in (TRUTH_PERSON, TRUTH_SURGE):
            continue
        for row in rows:
            for record_id, person in person_mentions(kind, row):
                written[truth[record_id]].append(person)
                agencies[truth[record_id]].add(row["agency"])
    repeated = [pid for pid, mentions in written.items() if len(agencies[pid]) >= 3]
    assert repeated, "some persons must appear in several agencies' records"
    varied = [
        pid
        for pid in repeated
        if len({(p["given_names"], p.get("second_surname")) for p in written[pid]}) > 1
    ]
    assert varied, "repeat offenders must be written differently by different clerks"
    # A true person keeps one sex and, where written in full, nearly one birth date.
    for pid in repeated:
        assert len({p.get("sex") for p in written[pid]} - {None}) == 1


def test_surge_is_planted_where_the_truth_says(dataset: Any) -> None:
    (surge,) = _rows(dataset, TRUTH_SURGE)
    hits = [
        r
        for r in _rows(dataset, "incident")
        if r["place"]["municipality"] == surge["area"]
        and r["crime_types"] == [surge["crime_type"]]
        and r["occurred_at"].startswith(surge["period_start"][:7])
    ]
    assert len(hits) >= surge["extra_incidents"] > 4 * surge["expected_background"]
