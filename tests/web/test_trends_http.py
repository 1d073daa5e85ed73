"""``/api/v1/trends``: counts, series, CompStat, hotspots and alarms for the trend roles only,
audited, and never a trace of an incident the whole country may not read.

Two municipal police of Jalisco write incidents of every marking for real (records service →
outbox → trends consumer). The shared ones (PUBLIC, SBU) are extortions in Zapopan; the
others (CONFIDENTIAL, SECRET, or in a restricted file) are kidnappings in Guadalajara, at
coordinates of their own, so any leak would show up as a kidnapping, as Guadalajara, or as
their H3 cell, in any answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from conftest import add_agency, add_user, token_for
from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.store.tables import audit_log
from plataforma.trends.alarm_job import run_alarm_job
from plataforma.trends.alarm_store import save_alarms
from plataforma.trends.alarms import Alarm, Method
from trends.live_support import incident, seed, write_incident

GUADALAJARA = "14039"
HIDDEN_AT = {
    "state": "14",
    "municipality": GUADALAJARA,
    "latitude": 20.6767,
    "longitude": -103.3475,
}
MARKINGS_HIDDEN: list[dict[str, Any]] = [
    {"marking": "CONFIDENTIAL"},
    {"marking": "SECRET"},
    {"marking": "SBU", "restricted_file": "juvenile"},
    {"marking": "PUBLIC", "restricted_file": "gang"},
]
ROLES = {
    "analyst": (["analyst"], 200),
    "intel": (["intelligence_analyst"], 200),
    "supervisor": (["supervisor"], 200),
    "auditor": (["auditor"], 200),
    "officer": (["officer"], 403),
    "clerk": (["records_clerk"], 403),
    "fiscal": (["prosecutor"], 403),
}
NOV = {"grain": "month", "since": "2026-11-01", "until": "2026-11-30"}


@pytest.fixture
def api(platform: Platform) -> Any:
    from plataforma.web.app import create_app

    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    add_agency(platform, "POL-ZAP", "municipal", "police", "14")
    for name, (roles, _) in ROLES.items():
        add_user(platform, name, "POL-GDL", roles, Marking.SECRET, ("juvenile", "gang"))
    n = 0
    for agency in ("POL-GDL", "POL-ZAP"):
        for marking in ("PUBLIC", "SBU"):
            n += 1
            write_incident(platform, incident(f"s{n}", agency, marking=marking))
        for extra in MARKINGS_HIDDEN:
            for _ in range(2):
                n += 1
                hidden = incident(f"h{n}", agency, crime_types=["secuestro"], place=HIDDEN_AT)
                write_incident(platform, {**hidden, **extra})
    with TestClient(create_app(platform)) as client:
        yield client


def get(api: TestClient, user: str, path: str, **params: Any) -> Any:
    tokens: dict[str, dict[str, str]] = api.__dict__.setdefault("tokens", {})
    if user not in tokens:  # one login per user and test (each costs an argon2 hash)
        tokens[user] = token_for(api, user)
    headers = {**tokens[user], "X-Purpose": "analysis"}
    return api.get(f"/api/v1/trends/{path}", params=params, headers=headers)


def ok(api: TestClient, path: str, **params: Any) -> Any:
    reply = get(api, "analyst", path, **params)
    assert reply.status_code == 200, reply.text
    return reply.json() if "json" in reply.headers["content-type"] else reply.text


def test_no_answer_shows_an_incident_the_whole_country_may_not_read(api: TestClient) -> None:
    for level in ("nation", "state", "municipality"):
        totals = ok(api, "counts", area_level=level, **NOV)["items"]
        assert sum(i["count"] for i in totals) == 4, level  # the 4 shared extortions
        assert all(i["area"] != GUADALAJARA for i in totals)
        kidnap = ok(api, "counts", area_level=level, crime="secuestro", **NOV)["items"]
        assert kidnap == []
    bbox = "20.5,-103.6,20.9,-103.2"
    for resolution in (6, 7, 8):
        cells = ok(api, "counts", area_level=f"h3_{resolution}", bbox=bbox, **NOV)["items"]
        assert sum(c["count"] for c in cells) == 4 and len(cells) == 1
        hot = ok(api, "hotspots", bbox=bbox, resolution=resolution, **NOV)
        assert sum(c["count"] for c in hot) == 4
    crimes = ok(api, "counts", area_level="nation", crime_level="bien_juridico", **NOV)
    assert [i["count"] for i in crimes["items"]] == [4]  # no Libertad personal
    series = ok(
        api, "series", area_level="municipality", area=GUADALAJARA, crime="secuestro", **NOV
    )
    assert series["counts"] == [0]
    compstat = ok(api, "compstat", area_level="state", area="14", end="2026-11-30")
    assert {r["crime_type"] for r in compstat["rows"]} == {"extorsion", "el_patrimonio"}
    assert ",secuestro," not in ok(api, "compstat", area="14", area_level="state", format="csv")


def test_hidden_incidents_raise_no_alarm(api: TestClient) -> None:
    platform: Platform = api.app.state.platform  # type: ignore[attr-defined]
    # Three years of one shared kidnapping a month there; the 16 hidden ones this month
    # would be a surge if they were counted.
    start = dt.date(2023, 11, 1)
    months = [
        dt.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
        for i in range(36)
    ]
    history = [
        ("month", "secuestro", lv, a, m, 1)
        for m in months
        for lv, a in (("state", "14"), ("municipality", GUADALAJARA))
    ]
    seed(platform, history)
    run_alarm_job(platform, today=dt.date(2026, 11, 20))
    fired = ok(api, "alarms", limit=200)["items"]
    # The shared extortions (4 after three silent years) do alarm: the job ran.
    assert {a["crime_type"] for a in fired if a["crime_level"] == "subtipo"} == {"extorsion"}
    kidnapping = {"secuestro", "libertad_personal"}
    assert not [a for a in fired if a["crime_type"] in kidnapping or a["area"] == GUADALAJARA]


@pytest.mark.parametrize("user", sorted(ROLES))
def test_only_the_trend_roles_read_and_every_look_is_audited(api: TestClient, user: str) -> None:
    status = ROLES[user][1]
    for path in ("counts", "series", "compstat", "alarms"):
        reply = get(api, user, path)
        assert reply.status_code == status, (path, reply.text)
        if status == 403:
            assert reply.headers["content-type"].startswith("application/problem+json")
    platform: Platform = api.app.state.platform  # type: ignore[attr-defined]
    platform.audit.flush()
    with platform.engine.connect() as conn:
        rows = conn.execute(
            select(audit_log).where(audit_log.c.actor == user, audit_log.c.record_type == "trends")
        ).all()
    assert len(rows) == 4
    assert {r.outcome for r in rows} == {"ok" if status == 200 else "denied"}
    assert {r.detail["view"] for r in rows} == {"counts", "series", "compstat", "alarms"}
    assert all(r.purpose == "analysis" for r in rows)


def test_the_live_stream_is_refused_to_other_roles(api: TestClient) -> None:
    reply = get(api, "officer", "stream")
    assert reply.status_code == 403 and "analyst" in reply.text


def test_a_purpose_is_required(api: TestClient) -> None:
    reply = api.get("/api/v1/trends/counts", headers=token_for(api, "analyst"))
    assert reply.status_code == 403 and "purpose" in reply.text


@pytest.mark.parametrize(
    ("path", "params", "pointer"),
    [
        ("counts", {"crime": "pirateria"}, "/crime"),
        ("counts", {"crime_level": "tipo", "crime": "extorsion_ficticia"}, "/crime"),
        ("counts", {"area_level": "galaxy"}, "/area_level"),
        ("counts", {"area_level": "h3_7"}, "/bbox"),
        ("counts", {"area_level": "h3_7", "bbox": "north,south"}, "/bbox"),
        ("counts", {"area_level": "h3_7", "bbox": "21,-103,20,-104"}, "/bbox"),
        ("counts", {"since": "2026-11-30", "until": "2026-11-01"}, "/until"),
        ("counts", {"grain": "fortnight"}, "/grain"),
        ("counts", {"state": "Jalisco"}, "/state"),
        ("compstat", {"area_level": "h3_7"}, "/area_level"),
        ("compstat", {"format": "xlsx"}, "/format"),
        ("hotspots", {"bbox": "20,-104,21,-103", "resolution": 9}, "/resolution"),
        ("alarms", {"limit": 0}, "/limit"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    api: TestClient, path: str, params: dict[str, Any], pointer: str
) -> None:
    reply = get(api, "analyst", path, **params)
    assert reply.status_code == 422, reply.text
    pointers = [e["pointer"] for e in reply.json()["errors"]]
    assert any(p.split(":")[-1].lstrip("/") == pointer.lstrip("/") for p in pointers), pointers


def _alarm(area: str, month: int) -> Alarm:
    return Alarm(
        "municipality",
        area,
        "subtipo",
        "extorsion",
        dt.date(2026, month, 1),
        12.0,
        3.0,
        8.0,
        4.5,
        1e-4,
        1e-3,
        Method.FARRINGTON,
    )


def test_alarms_filter_and_page_with_a_cursor(api: TestClient) -> None:
    platform: Platform = api.app.state.platform  # type: ignore[attr-defined]
    with platform.engine.begin() as conn:
        save_alarms(conn, "month", [_alarm("14120", m) for m in range(1, 8)])
        save_alarms(conn, "month", [_alarm("15001", 5)])
    seen: list[str] = []
    cursor = None
    while True:
        extra = {"cursor": cursor} if cursor else {}
        page = ok(api, "alarms", state="14", limit=3, **extra)
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 7
    one = ok(api, "alarms", area="15001")["items"]
    assert [(a["area"], a["observed"], a["expected"]) for a in one] == [("15001", 12.0, 3.0)]
    assert "12 observed" in one[0]["reason"]
    series = ok(
        api,
        "series",
        area_level="municipality",
        area="14120",
        crime="extorsion",
        grain="month",
        since="2026-01-01",
        until="2026-12-01",
    )
    assert len(series["periods"]) == 12 and len(series["alarms"]) == 7
    assert series["counts"][10] == 4  # November: the four shared extortions
