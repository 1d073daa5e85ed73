"""The trends pages without a browser: who may open them, what the server renders first,
the panel, the printable CompStat, the shapes, and bad filters answered as pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from ui_session import signed_in

from conftest import add_user
from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.store.engine import begin_write
from plataforma.trends.alarm_store import save_alarms
from plataforma.trends.alarms import Alarm, Method
from trends.live_support import incident, write_incident

TODAY = dt.date.today()


@pytest.fixture
def dashboard(client: Any, world: Platform) -> Any:
    add_user(world, "intel", "SSPC", ["intelligence_analyst"], Marking.SECRET)
    when = (TODAY - dt.timedelta(days=3)).isoformat() + "T12:00:00"
    write_incident(world, incident("1", occurred_at=when))
    write_incident(world, incident("2", occurred_at=when, crime_types=["robo_a_negocio"]))
    write_incident(
        world, incident("3", occurred_at=when, marking="SECRET", crime_types=["secuestro"])
    )
    start = TODAY.replace(day=1)
    alarm = Alarm("state", "14", "subtipo", "extorsion", start, 9.0, 2.0, 6.0, 3.9, 1e-4, 1e-3,
                  Method.FARRINGTON)  # fmt: skip
    with begin_write(world.engine) as conn:
        save_alarms(conn, "month", [alarm])
    return client


def test_the_dashboard_renders_counts_series_alarms_and_compstat(dashboard: Any) -> None:
    page = signed_in(dashboard, "analyst").get("/ui/trends?lang=es")
    assert page.status_code == 200
    html = page.text
    assert "Tendencias" in html and 'id="trend-map"' in html
    assert '<output id="trend-total" data-area="00">2</output>' in html  # not the SECRET one
    assert "Secuestro" not in html.split('id="trend-panel"')[1]  # no trace in the panel
    assert "<svg" in html and "Extorsión" in html  # the crime select and the CompStat row
    assert 'href="/ui/trends/compstat?area_level=nation&area=00' in html
    state = dashboard.get(
        "/ui/trends/panel",
        params={
            "area_level": "state",
            "area": "14",
            "crime": "subtipo:extorsion",
            "grain": "month",
        },
    )
    assert state.status_code == 200
    assert 'class="alarm"' in state.text and "9 observed" in state.text  # on the line, with why
    assert "Jalisco" in state.text


def test_the_printable_compstat_and_the_shapes(dashboard: Any) -> None:
    signed_in(dashboard, "intel")
    page = dashboard.get("/ui/trends/compstat", params={"area_level": "state", "area": "14"})
    assert page.status_code == 200
    assert "Jalisco" in page.text and "Extorsión" in page.text and "Secuestro" not in page.text
    assert "format=csv" in page.text
    shapes = dashboard.get("/ui/trends/states.geojson").json()
    assert len(shapes["features"]) == 32
    assert {f["geometry"]["type"] for f in shapes["features"]} <= {
        "Polygon",
        "MultiPolygon",
        "Point",
    }
    munis = dashboard.get("/ui/trends/municipalities.json", params={"state": "14"}).json()
    assert any(m["code"] == "14120" for m in munis)
    cells = dashboard.get(
        "/ui/trends/cells.geojson", params={"bbox": "20.5,-103.6,20.9,-103.2", "resolution": 8}
    ).json()
    assert [f["properties"]["count"] for f in cells["features"]] == [2]
    assert len(cells["features"][0]["geometry"]["coordinates"][0]) == 7  # a closed hexagon


@pytest.mark.parametrize("user", ["officer", "clerk", "fiscal", "admin"])
def test_other_roles_get_a_refusal_page(client: Any, user: str) -> None:
    page = signed_in(client, user).get("/ui/trends")
    assert page.status_code == 403
    assert "analyst" in page.text or "analista" in page.text
    assert 'href="/ui/trends"' not in signed_in(client, user).get("/ui/").text


@pytest.mark.parametrize(
    "query",
    ["crime=subtipo:pirateria", "crime=galaxy:x", "since=2026-12-01&until=2026-01-01",
     "area_level=state&area=ABC", "grain=fortnight"],
)  # fmt: skip
def test_bad_filters_are_answered_as_pages(dashboard: Any, query: str) -> None:
    page = signed_in(dashboard, "analyst").get(f"/ui/trends?{query}")
    assert page.status_code in (400, 422)
    assert "<html" in page.text and "Traceback" not in page.text


def test_english_and_an_alarm_notice_in_the_inbox(dashboard: Any, world: Platform) -> None:
    from plataforma.realtime.inbox import Notification, NotificationKind, deliver

    page = signed_in(dashboard, "analyst").get("/ui/trends?lang=en")
    assert "<h1>Trends</h1>" in page.text and "Whole country" in page.text
    summary = {"area_level": "state", "area": "14", "grain": "month", "crime_level": "subtipo",
               "crime_type": "extorsion", "period_start": "2026-11-01",
               "reason": "farrington: 30 observed where 5.3 were expected"}  # fmt: skip
    notice = Notification(
        NotificationKind.TREND_ALARM, "alarm:x", recipient_user="analyst", summary=summary
    )
    deliver(world.engine, None, [notice])
    inbox = dashboard.get("/ui/inbox").text
    assert "Trend alarm" in inbox and "30 observed" in inbox
    link = 'href="/ui/trends?area_level=state&area=14&grain=month&crime=subtipo:extorsion"'
    assert link in inbox
