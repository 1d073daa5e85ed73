"""Every naive time of every record, however nested, is read in the zone of the record's state,
once, in the model: the API, the importer and the UI then accept the same thing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from record_examples import all_fields, container, payload, pointer

from plataforma.records.errors import InvalidRecord
from plataforma.records.service import validate

TIMES = all_fields({"time"})
CANCUN = dt.timedelta(hours=-5)  # Quintana Roo: America/Cancun, no daylight saving time


def _in_quintana_roo(data: dict[str, Any]) -> dict[str, Any]:
    if "place" in data:
        data["place"] = {"state": "23"}
    if "plate_state" in data:
        data["plate_state"] = "23"
    return data


def _value(body: Any, path: tuple[str | int, ...]) -> Any:
    node = body
    for part in path:
        node = node[part] if isinstance(part, int) else getattr(node, part)
    return node


def test_the_detention_annex_is_among_the_times_found() -> None:
    assert ("incident", ("detentions", 0, "detained_at")) in {(t, p) for t, p, _, _ in TIMES}


@pytest.mark.parametrize("case", TIMES, ids=[f"{c[0]}:{pointer(c[1])}" for c in TIMES])
@pytest.mark.parametrize("written", ["2024-03-01T10:00", "01/03/2024 10:00"])
def test_naive_times_take_the_zone_of_the_records_state(
    case: tuple[str, tuple[str | int, ...], str, bool], written: str
) -> None:
    record_type, path, _, _ = case
    data = _in_quintana_roo(payload(record_type))
    container(data, path)[str(path[-1])] = written
    value = _value(validate(record_type, data), path)
    assert value.utcoffset() == CANCUN
    assert value.astimezone(dt.UTC) == dt.datetime(2024, 3, 1, 15, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("case", TIMES, ids=[f"{c[0]}:{pointer(c[1])}" for c in TIMES])
def test_times_with_an_offset_keep_it(case: tuple[str, tuple[str | int, ...], str, bool]) -> None:
    record_type, path, _, _ = case
    data = _in_quintana_roo(payload(record_type))
    container(data, path)[str(path[-1])] = "2024-03-01T10:00:00-07:00"
    assert _value(validate(record_type, data), path).utcoffset() == dt.timedelta(hours=-7)


def test_a_naive_time_without_a_state_is_refused_naming_the_field() -> None:
    data = payload("vehicle")
    del data["plate_state"]
    with pytest.raises(InvalidRecord) as refused:
        validate("vehicle", data)
    assert [e.pointer for e in refused.value.errors] == ["/reported_stolen_at"]


def test_the_callers_payload_is_not_changed() -> None:
    data = payload("incident")
    before = repr(data)
    validate("incident", data)
    assert repr(data) == before
