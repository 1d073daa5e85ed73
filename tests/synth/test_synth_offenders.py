"""Repeat offenders are realistic: a long tail of records per person, but a bounded one.

Issue 7 defect 8: with the old power law one synthetic person had more than 130 person records
and 318 incidents, and a name search drowned in copies of them. The ground truth says which
person every mention is, so the distribution is measured on what the generator really wrote.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import pytest

from plataforma.synth import TRUTH_PERSON, generate
from plataforma.synth.plan import ACTIVITY_CAP, Plan, activity_cdf

SCALE = 4000
# Bounds for the realised maximum at any scale: the expected count of the most active person
# is scale-free (about 7 person files, 20 incidents), the Poisson scatter adds the rest.
MAX_PERSON_FILES = 30
MAX_INCIDENTS = 60


@pytest.fixture(scope="module")
def records_per_person() -> dict[str, Counter[str]]:
    """person_id → record type → number of distinct records naming that person."""
    seen: set[tuple[str, str]] = set()
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for kind, rows in generate(SCALE, 3):
        if kind != TRUTH_PERSON:
            continue
        for row in rows:
            record = row["record_id"].split(":")
            key = (":".join(record[:3]), row["person_id"])
            if key not in seen:
                seen.add(key)
                per[row["person_id"]][record[0]] += 1
    return per


def _counts(per: dict[str, Counter[str]], record_type: str) -> list[int]:
    return sorted(c[record_type] for c in per.values() if c[record_type])


def test_nobody_has_hundreds_of_records(records_per_person: dict[str, Counter[str]]) -> None:
    assert max(_counts(records_per_person, "person")) <= MAX_PERSON_FILES
    assert max(_counts(records_per_person, "incident")) <= MAX_INCIDENTS
    assert max(sum(c.values()) for c in records_per_person.values()) <= 3 * MAX_INCIDENTS


def test_most_people_have_one_file_and_a_tail_has_many(
    records_per_person: dict[str, Counter[str]],
) -> None:
    files = _counts(records_per_person, "person")
    share = Counter(files)
    assert share[1] / len(files) > 0.45, "most persons with a file have exactly one"
    repeaters = [n for n in files if n >= 5]
    assert len(repeaters) / len(files) > 0.02, "a long tail of repeat offenders"
    assert max(files) >= 8
    incidents = _counts(records_per_person, "incident")
    assert max(incidents) >= 12


def test_expected_count_of_the_most_active_does_not_grow_with_scale() -> None:
    """The bound holds at 10 M records too: activity is a share, not a count."""
    tops = []
    for scale in (4_000, 400_000, 4_000_000):
        plan = Plan(scale, 1)
        cdf = activity_cdf(plan.offenders)
        expected_files = plan.count("person") * ACTIVITY_CAP / cdf[-1]
        tops.append(expected_files)
    assert max(tops) < 10
    assert np.ptp(tops) < 0.5


def test_draws_stay_inside_the_offender_population() -> None:
    plan = Plan(300, 2)
    ids = plan.offender_ids(np.random.default_rng(5), 20_000)
    assert ids.min() >= 0 and ids.max() < plan.offenders
    assert np.bincount(ids)[0] > np.median(np.bincount(ids, minlength=plan.offenders))
