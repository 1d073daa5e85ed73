"""A resubmission is ``unchanged`` only when nothing the store keeps would change.

The content hash decides between "new version" and "no-op"; an envelope field left out of it
(retention, validity, marking, ...) makes a resubmission that changes only that field report
``unchanged`` and keep the old value. Checked through the HTTP API and the bulk importer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import token_for
from plataforma.context import Platform
from plataforma.ingest.bulk import BulkLoader
from plataforma.model.records import record_model
from plataforma.model.values import make_curp
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.store import reader
from plataforma.store.engine import begin_write
from plataforma.store.prepare import prepare
from plataforma.store.writer import WriteOutcome, write_records

TODAY = dt.date(2026, 1, 10)


def _incident(source_ref: str, **extra: Any) -> dict[str, Any]:
    return {
        "source_ref": source_ref,
        "folio": f"F-{source_ref}",
        "occurred_at": "2024-03-01T10:00:00",
        "place": {"state": "14"},
        "crime_types": ["robo_a_negocio"],
        **extra,
    }


def _person(source_ref: str, **extra: Any) -> dict[str, Any]:
    born = dt.date(1981, 5, 17)
    return {
        "source_ref": source_ref,
        "given_names": "ANA",
        "first_surname": "LOPEZ",
        "second_surname": "DIAZ",
        "sex": "M",
        "date_of_birth": born.isoformat(),
        "curp": make_curp("ANA", "LOPEZ", "DIAZ", born, "M", "JC", 3),
        **extra,
    }


def _hash(payload: dict[str, Any], today: dt.date = TODAY) -> str:
    body = record_model("incident").model_validate(payload)
    return prepare(body, "POL-GDL", today).content_hash


@pytest.mark.parametrize(
    "change",
    [
        {"purge_after": "2040-01-01"},
        {"valid_until": "2030-06-30"},
        {"marking": "CONFIDENTIAL"},
        {"status": "cleared"},
        {"restricted_file": "gang"},
    ],
    ids=lambda change: next(iter(change)),
)
def test_every_envelope_field_the_store_keeps_changes_the_hash(change: dict[str, str]) -> None:
    assert _hash(_incident("H-1")) != _hash(_incident("H-1", **change))


def test_a_later_resubmission_without_a_date_keeps_the_record_and_its_retention(
    platform: Platform,
) -> None:
    """Retention counts from entry: a rerun on a later day is a no-op, not a new date."""
    later = TODAY + dt.timedelta(days=400)
    body = record_model("incident").model_validate(_incident("H-2"))
    with begin_write(platform.engine) as conn:
        (first,) = write_records(conn, [prepare(body, "POL-GDL", TODAY)], "clerk")
    with begin_write(platform.engine) as conn:
        (again,) = write_records(conn, [prepare(body, "POL-GDL", later)], "clerk")
    assert again.outcome is WriteOutcome.UNCHANGED and again.version == 1
    with platform.engine.connect() as conn:
        stored = reader.get_record(conn, first.id)
    assert stored is not None and stored.purge_after == dt.date(2036, 1, 10)


def test_api_resubmission_with_new_retention_is_an_update(client: TestClient) -> None:
    officer = {**token_for(client, "officer"), "X-Purpose": "investigation"}
    url = "/api/v1/records/incident"
    first = client.post(url, json=_incident("RET-1", purge_after="2035-01-01"), headers=officer)
    assert first.status_code == 201, first.text
    again = client.post(url, json=_incident("RET-1", purge_after="2045-01-01"), headers=officer)
    assert again.status_code == 200, again.text
    assert again.json()["outcome"] == "updated" and again.json()["version"] == 2
    stored = client.get(f"{url}/{first.json()['id']}", headers=officer).json()
    assert stored["purge_after"] == "2045-01-01"
    valid = client.post(
        url,
        json=_incident("RET-1", purge_after="2045-01-01", valid_until="2031-01-01"),
        headers=officer,
    )
    assert valid.json()["outcome"] == "updated" and valid.json()["version"] == 3
    same = client.post(
        url,
        json=_incident("RET-1", purge_after="2045-01-01", valid_until="2031-01-01"),
        headers=officer,
    )
    assert same.json()["outcome"] == "unchanged" and same.json()["version"] == 3


def test_bulk_reimport_with_new_retention_is_an_update(platform: Platform) -> None:
    loader = BulkLoader(platform, LOCAL_ADMIN, workers=0)
    first = loader.load("person", [(2, _person("BR-1", purge_after="2036-02-02"))])
    assert first.created == 1
    second = loader.load("person", [(2, _person("BR-1", purge_after="2046-02-02"))])
    assert (second.updated, second.unchanged) == (1, 0)
    third = loader.load("person", [(2, _person("BR-1", purge_after="2046-02-02"))])
    assert (third.updated, third.unchanged) == (0, 1)
    with platform.engine.connect() as conn:
        stored = reader.get_by_source(conn, "PLATAFORMA", "person", "BR-1")
    assert stored is not None
    assert stored.purge_after == dt.date(2046, 2, 2) and stored.version == 2
