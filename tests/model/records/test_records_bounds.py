"""Every number in every record type is bounded, so nothing reaches the store that orjson,
JSONB or a report could not hold (a seizure of 10^19 weapons answered 500 before)."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from record_examples import all_fields, container, payload, pointer

from plataforma.records.errors import InvalidRecord
from plataforma.records.service import validate
from plataforma.store.jsontext import dumps

NUMBERS = all_fields({"number", "age"})
HUGE = st.one_of(
    st.integers(min_value=10**16, max_value=10**40),
    st.integers(min_value=-(10**40), max_value=-(10**16)),
    st.sampled_from([math.inf, -math.inf, math.nan, 1e300, -1e300]),
)


def test_every_number_field_is_found() -> None:
    found = {(t, pointer(p)) for t, p, _, _ in NUMBERS}
    assert ("seizure", "/weapons/0/quantity") in found
    assert ("seizure", "/drugs/0/quantity") in found
    assert ("incident", "/place/latitude") in found
    assert ("person", "/age") in found


@pytest.mark.parametrize("case", NUMBERS, ids=[f"{c[0]}:{pointer(c[1])}" for c in NUMBERS])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=HUGE)
def test_numbers_out_of_their_domain_are_refused_naming_the_field(
    case: tuple[str, Any, str, bool], value: float
) -> None:
    record_type, path, _, _ = case
    data = payload(record_type)
    container(data, path)[str(path[-1])] = value
    with pytest.raises(InvalidRecord) as refused:
        validate(record_type, data)
    assert pointer(path) in {e.pointer for e in refused.value.errors}


@pytest.mark.parametrize("record_type", sorted({c[0] for c in NUMBERS}))
def test_the_largest_accepted_values_serialise(record_type: str) -> None:
    """What the bounds let through, the store's JSON can hold."""
    data = payload(record_type)
    for t, path, _, _ in NUMBERS:
        if t == record_type and path[-1] in ("quantity", "amount"):
            container(data, path)[str(path[-1])] = 10**9
    body = validate(record_type, data)
    assert dumps(body.content())
