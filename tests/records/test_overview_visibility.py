"""Dashboards count visible records only: hidden newer rows neither shrink nor shape them.

Before issue 6 the home page's "latest incidents" and the incident counts were taken over the
newest rows of *all* records and then filtered, so a short list (or "3 counted" of a window
of 5) told a user that newer records it may not read existed.
"""

from __future__ import annotations

import pytest

from conftest import add_agency
from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.records.overview import incident_overview, recent_records
from plataforma.records.service import RecordService
from plataforma.security.policy import Purpose
from plataforma.security.principal import LOCAL_ADMIN, Principal, Role

OFFICER = Principal("officer", "POL-GDL", frozenset({Role.OFFICER}), Marking.SBU, "municipal", "14")


@pytest.fixture(autouse=True)
def _owners(platform: Platform) -> None:
    """The owning agencies are registered: the records service refuses unknown owners."""
    for code in ("POL-GDL",):
        add_agency(platform, code)


def _incident(ref: str, **extra: object) -> dict[str, object]:
    return {
        "source_ref": ref,
        "agency": "POL-GDL",
        "folio": f"F-{ref}",
        "occurred_at": "2024-03-01T10:00:00",
        "place": {"state": "14", "latitude": 20.6, "longitude": -103.3},
        "crime_types": ["robo_a_negocio"],
        **extra,
    }


def test_recent_records_and_counts_skip_hidden_rows(platform: Platform) -> None:
    service = RecordService(platform)
    shown = [service.submit(LOCAL_ADMIN, "incident", _incident(f"V-{i}")).id for i in range(3)]
    for i, extra in enumerate(
        [{"marking": "SECRET"}, {"restricted_file": "juvenile"}, {"marking": "CONFIDENTIAL"}]
    ):
        service.submit(LOCAL_ADMIN, "incident", _incident(f"H-{i}", **extra))
    recent = recent_records(platform, OFFICER, "incident", Purpose.PATROL, limit=2)
    assert [r.id for r in recent] == shown[::-1][:2]
    overview = incident_overview(platform, OFFICER, Purpose.PATROL, window=3)
    assert overview.counted == 3 and len(overview.points) == 3
    assert {p.record_id for p in overview.points} == set(shown)
