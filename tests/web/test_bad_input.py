"""Bad input through the real app answers 4xx, never 5xx (issue 6 #10), and the API accepts what
the UI accepts (issue 7 #3): random form names, numbers and dates, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ui_session import csrf, signed_in

from conftest import token_for

PROPERTY = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=24)
SEGMENT = st.one_of(
    st.sampled_from(
        [
            "persons", "detentions", "person", "place", "state", "given_names", "crime_types",
            "folio", "detained_at", "latitude", "objects", "quantity", "0", "1", "00", "999",
            "1000", "99999999999999999999", "²", "٣", "", "a", "b",
        ]
    ),
    TEXT,
)  # fmt: skip
NAME = st.lists(SEGMENT, min_size=1, max_size=12).map("-".join)
VALUE = st.one_of(
    TEXT,
    st.sampled_from(
        [
            "9999-12-31T23:59", "0001-01-01T00:00", "2031-01-01", "1e309", "-1e19", "NaN",
            "20.6767", "10000000000000000000", "31/12/9999 23:59", "14",
        ]
    ),
)  # fmt: skip
BASE_FORM = {
    "folio": "IPH-PROP-1",
    "marking": "SBU",
    "occurred_at": "2024-05-01T13:45",
    "place-state": "14",
    "crime_types": ["robo_a_negocio"],
    "persons-0-given_names": "Ana",
}


def _clerk(client: Any) -> str:
    if not getattr(client, "_signed_in_clerk", False):
        signed_in(client, "clerk")
        client._signed_in_clerk = True
    return csrf(client)


@PROPERTY
@given(extra=st.lists(st.tuples(NAME, VALUE), max_size=20))
def test_random_form_names_and_values_never_fail_the_server(
    client: Any, extra: list[tuple[str, str]]
) -> None:
    token = _clerk(client)
    form: dict[str, list[str]] = {
        k: v if isinstance(v, list) else [v] for k, v in BASE_FORM.items()
    }
    for name, value in extra:
        form.setdefault(name, []).append(value)
    form["csrf_token"] = [token]
    checked = client.post("/ui/incidents/validate", data=form)
    assert checked.status_code < 500, checked.text
    stored = client.post("/ui/incidents", data=form, follow_redirects=False)
    assert stored.status_code < 500, stored.text


NUMBER = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
)


# Each number alone (the others valid), with its domain, so no other error can hide it.
DOMAINS = {
    "quantity": lambda v: 1 <= v <= 10**9 and v == int(v),
    "amount": lambda v: 0 < v <= 1e15,
    "latitude": lambda v: -90 <= v <= 90,
}


@PROPERTY
@given(field=st.sampled_from(sorted(DOMAINS)), value=NUMBER)
@example(field="quantity", value=10**19)
@example(field="quantity", value=10**20)
@example(field="amount", value=10**20)
def test_seizure_numbers_out_of_range_are_problems_not_errors(
    client: Any, field: str, value: float
) -> None:
    headers = getattr(client, "_officer", None)
    if headers is None:
        headers = {**token_for(client, "officer"), "Content-Type": "application/json"}
        client._officer = headers
    numbers: dict[str, float] = {"quantity": 2, "amount": 100.0, "latitude": 20.6767, field: value}
    body = {
        "source_ref": "SEIZ-PROP-1",
        "seized_at": "2024-03-01T10:00",
        "place": {"state": "14", "latitude": numbers["latitude"]},
        "weapons": [{"serial": "ABC12345", "quantity": numbers["quantity"]}],
        "cash": [{"currency": "MXN", "amount": numbers["amount"]}],
    }
    reply = client.post(
        "/api/v1/records/seizure", content=json.dumps(body, allow_nan=True), headers=headers
    )
    assert reply.status_code < 500, reply.text
    if value != value or not DOMAINS[field](value):  # NaN, or outside the domain
        assert reply.status_code == 422, reply.text
        assert reply.headers["content-type"] == "application/problem+json"
    else:
        assert reply.status_code in (200, 201), reply.text


def test_a_seizure_of_ten_to_the_nineteen_weapons_is_refused_naming_the_field(
    client: Any,
) -> None:
    body = {
        "source_ref": "SEIZ-1E19",
        "seized_at": "2024-03-01T10:00:00-06:00",
        "place": {"state": "14"},
        "weapons": [{"serial": "ABC12345", "quantity": 10**19}],
    }
    reply = client.post("/api/v1/records/seizure", json=body, headers=token_for(client, "officer"))
    assert reply.status_code == 422
    assert [e["pointer"] for e in reply.json()["errors"]] == ["/weapons/0/quantity"]


DAY = st.one_of(st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat), TEXT)


@PROPERTY
@given(since=DAY, until=DAY)
@example(since="2024-01-01", until="9999-12-31")
@example(since="0001-01-01", until="2024-01-01")
def test_audit_viewer_dates_are_bounded(client: Any, since: str, until: str) -> None:
    if not getattr(client, "_signed_in_auditor", False):
        signed_in(client, "auditor")
        client._signed_in_auditor = True
    reply = client.get("/ui/audit", params={"since": since, "until": until})
    assert reply.status_code < 500


def test_audit_viewer_names_the_date_it_cannot_use(client: Any) -> None:
    signed_in(client, "auditor")
    for query in ({"until": "9999-12-31"}, {"since": "0001-01-01"}, {"since": "mañana"}):
        reply = client.get("/ui/audit", params=query)
        assert reply.status_code == 422
        assert 'id="filter-error"' in reply.text
    assert client.get("/ui/audit", params={"since": "2024-01-01"}).status_code == 200


ZONES = st.sampled_from(
    [None, dt.UTC, dt.timezone(dt.timedelta(hours=14)), dt.timezone(dt.timedelta(hours=-12))]
)
MOMENT = st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30))


@PROPERTY
@given(since=st.one_of(st.none(), MOMENT), zone=ZONES, until=st.one_of(st.none(), MOMENT))
@example(since=dt.datetime(1, 1, 2), zone=dt.timezone(dt.timedelta(hours=14)), until=None)
@example(since=None, zone=dt.timezone(dt.timedelta(hours=-12)), until=dt.datetime(9999, 12, 30))
def test_audit_api_dates_are_bounded(
    client: Any, since: dt.datetime | None, zone: dt.tzinfo | None, until: dt.datetime | None
) -> None:
    headers = getattr(client, "_auditor", None)
    if headers is None:
        headers = client._auditor = token_for(client, "auditor")
    params = {}
    for key, value in (("since", since), ("until", until)):
        if value is not None:
            params[key] = value.replace(tzinfo=zone).isoformat()
    reply = client.get("/api/v1/audit/events", params=params, headers=headers)
    assert reply.status_code < 500, reply.text
    years = [v.year for v in (since, until) if v is not None]
    if any(not 1900 <= y <= 2200 for y in years):
        assert reply.status_code == 422


def test_the_api_reads_the_detention_annex_time_in_the_places_zone(client: Any) -> None:
    """The API accepts what the IPH form sends: a naive annex time, read as local time."""
    body = {
        "source_ref": "IPH-API-TZ",
        "folio": "IPH-API-TZ",
        "occurred_at": "2024-05-01T13:45",
        "place": {"state": "14"},
        "crime_types": ["robo_a_negocio"],
        "detentions": [{"person": {"given_names": "Luis"}, "detained_at": "2024-05-01T14:10"}],
    }
    headers = {**token_for(client, "officer"), "X-Purpose": "investigation"}
    made = client.post("/api/v1/records/incident", json=body, headers=headers)
    assert made.status_code == 201, made.text
    stored = client.get(f"/api/v1/records/incident/{made.json()['id']}", headers=headers).json()
    assert stored["data"]["detentions"][0]["detained_at"] == "2024-05-01T14:10:00-06:00"


def test_the_api_flags_a_birth_in_the_future_and_refuses_a_future_detention(client: Any) -> None:
    headers = {**token_for(client, "officer"), "X-Purpose": "investigation"}
    person = {"source_ref": "P-2031", "given_names": "Rosa", "date_of_birth": "2031-01-01"}
    made = client.post("/api/v1/records/person", json=person, headers=headers)
    assert made.status_code == 201, made.text
    stored = client.get(f"/api/v1/records/person/{made.json()['id']}", headers=headers).json()
    assert {"field": "date_of_birth", "problem": "date of birth in the future"} in stored["flags"]
    detention = {
        "source_ref": "D-FUTURE",
        "given_names": "Luis",
        "detained_at": (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).isoformat(),
        "place": {"state": "14"},
        "detention_type": "flagrancia",
        "reasons": ["robo_a_negocio"],
        "arresting_officers": ["Agente Uno"],
        "receiving_authority": "Ministerio Público",
    }
    refused = client.post("/api/v1/records/detention", json=detention, headers=headers)
    assert refused.status_code == 422
    assert [e["pointer"] for e in refused.json()["errors"]] == ["/detained_at"]
