"""How two dates of birth relate, error kind by error kind."""

from __future__ import annotations

import pytest

from plataforma.model.values import parse_partial_date
from plataforma.model.values.birth_dates import DobRelation, dob_relation


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        ("1990-02-14", "14/02/1990", DobRelation.EXACT),
        ("1990-02-05", "1990-05-02", DobRelation.SWAPPED_DAY_MONTH),
        ("1990-02-14", "1990-02-15", DobRelation.ONE_DIGIT),
        ("1985-03-12", "1995-03-12", DobRelation.ONE_DIGIT),
        ("1989-07-30", "1990-07-30", DobRelation.YEAR_OFF_BY_ONE),
        ("1990", "1990-07-30", DobRelation.PARTIAL_AGREES),
        ("1990-07", "1990-07-30", DobRelation.PARTIAL_AGREES),
        ("1990-06", "1990-07-30", DobRelation.WITHIN_TWO_YEARS),
        ("1990-01-01", "1991-06-30", DobRelation.WITHIN_TWO_YEARS),
        ("1960-01-01", "1988-06-30", DobRelation.DIFFERENT),
        ("1960", "1988", DobRelation.DIFFERENT),
    ],
)
def test_relation(a: str, b: str, relation: DobRelation) -> None:
    pa, pb = parse_partial_date(a), parse_partial_date(b)
    assert dob_relation(pa, pb) is relation
    assert dob_relation(pb, pa) is relation


def test_unknown_date_is_missing() -> None:
    assert dob_relation(None, parse_partial_date("1990")) is DobRelation.MISSING
