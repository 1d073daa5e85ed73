"""The trends dashboard: national map, series with alarms, CompStat, live as incidents arrive.

``/ui/trends`` renders the map's first counts, the selected area's series (inline SVG with
its alarms), its recent alarms and a CompStat summary on the server, so the page is readable
before any script runs; ``static/js/trends.js`` then draws the map (state outlines as GeoJSON,
no tiles), opens the municipal detail and H3 hexagons, swaps the panel
(``/ui/trends/panel``) when a place is clicked, and reads everything again when
``/api/v1/trends/stream`` says the counts changed. ``/ui/trends/compstat`` is the printable
CompStat. Every view is decided and audited by ``trends.access`` under the role's usual
purpose.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import Connection

from plataforma.context import Platform
from plataforma.errors import RecordError
from plataforma.security.principal import Principal
from plataforma.trends import alarm_store
from plataforma.trends.access import authorise_trends
from plataforma.trends.compstat import Window
from plataforma.trends.geometry import cells_geojson, municipality_points, states_geojson
from plataforma.trends.live_queries import BoundingBox, area_counts, series_of
from plataforma.trends.live_rates import area_name
from plataforma.trends.live_views import live_compstat
from plataforma.trends.periods import Period
from plataforma.web.ui.routes_home import default_purpose
from plataforma.web.ui.session import UiPrincipal
from plataforma.web.ui.templating import record_error_page, render
from plataforma.web.ui.trend_chart import series_svg
from plataforma.web.ui.trend_filters import TrendFilters, crime_options, states
from plataforma.web.ui.trend_labels import TREND_CONTEXT

router = APIRouter()

AreaLevelQ = Annotated[str, Query(pattern=r"^(nation|state|municipality)$")]
AreaQ = Annotated[str, Query(pattern=r"^\d{2}(\d{3})?$")]
CrimeQ = Annotated[str | None, Query(max_length=140)]
WINDOWS = (Window.WEEK_TO_DATE, Window.DAYS_28, Window.YEAR_TO_DATE)


def _filters(
    crime: str | None,
    grain: Period,
    since: dt.date | None,
    until: dt.date | None,
    area_level: str,
    area: str,
) -> TrendFilters:
    if area_level == "nation":
        area = "00"
    return TrendFilters.of(crime, grain, since, until, area_level, area)


def _allow(request: Request, principal: Principal, view: str, filters: dict[str, Any]) -> str:
    platform: Platform = request.app.state.platform
    return str(authorise_trends(platform, principal, default_purpose(principal), view, filters))


def _panel(conn: Connection, f: TrendFilters) -> dict[str, Any]:
    """The selected area's series with alarms, its recent alarms and CompStat summary."""
    found = series_of(conn, f.grain, f.area_level, f.area, f.crime, f.since, f.until)
    marked: dict[dt.date, str] = {}
    if f.crime.code is not None:
        level = f.crime.level.value
        for alarm in alarm_store.alarms_of_series(
            conn, f.grain.value, f.area_level, f.area, level, f.crime.code
        ):
            marked[alarm.period_start] = alarm.reason
    where = alarm_store.AlarmFilter(
        grain=f.grain.value,
        area=None if f.area_level != "municipality" else f.area,
        state=f.area if f.area_level == "state" else None,
        since=f.since,
        until=f.until,
    )
    recent, _ = alarm_store.alarm_page(conn, where, None, 10)
    end = min(f.until, dt.date.today())
    rows = live_compstat(conn, f.area_level, f.area, end)
    summary = [r for r in rows if r.window is Window.DAYS_28 and r.crime_level != "bien_juridico"]
    name = area_name(f.area_level, f.area)
    return {
        "area_name": name,
        "total": sum(found.counts),
        "chart": series_svg(found.starts, found.counts, marked, name),
        "alarms_here": len(marked),
        "recent_alarms": recent,
        "compstat": summary[:12],
        "compstat_end": end,
    }


def _trends_page(
    request: Request,
    principal: UiPrincipal,
    crime: CrimeQ = None,
    grain: Period = Period.MONTH,
    since: dt.date | None = None,
    until: dt.date | None = None,
    area_level: AreaLevelQ = "nation",
    area: AreaQ = "00",
) -> HTMLResponse:
    f = _filters(crime, grain, since, until, area_level, area)
    purpose = _allow(request, principal, "dashboard", f.audited())
    platform: Platform = request.app.state.platform
    with platform.engine.connect() as conn:
        by_state = area_counts(conn, f.grain, "state", f.crime, f.since, f.until)
        panel = _panel(conn, f)
    config = {
        "purpose": purpose,
        "counts": {c.area: c.count for c in by_state},
        "filters": {
            "crime_level": f.crime.level.value,
            "crime": f.crime.code or "",
            "grain": f.grain.value,
            "since": f.since.isoformat(),
            "until": f.until.isoformat(),
        },
        "area_level": f.area_level,
        "area": f.area,
    }
    context = {
        **TREND_CONTEXT,
        "f": f,
        "panel": panel,
        "crime_groups": crime_options(),
        "states": states(),
        "grains": list(Period),
        "config": json.dumps(config),
    }
    return render(request, "trends.html", context, principal=principal)


def _trends_panel(
    request: Request,
    principal: UiPrincipal,
    crime: CrimeQ = None,
    grain: Period = Period.MONTH,
    since: dt.date | None = None,
    until: dt.date | None = None,
    area_level: AreaLevelQ = "nation",
    area: AreaQ = "00",
) -> HTMLResponse:
    """The panel of one area (swapped in when a place is clicked or the counts change)."""
    f = _filters(crime, grain, since, until, area_level, area)
    _allow(request, principal, "dashboard_panel", f.audited())
    platform: Platform = request.app.state.platform
    with platform.engine.connect() as conn:
        panel = _panel(conn, f)
    return render(
        request, "_trend_panel.html", {**TREND_CONTEXT, "f": f, "panel": panel}, principal=principal
    )


def _compstat_page(
    request: Request,
    principal: UiPrincipal,
    area_level: AreaLevelQ = "nation",
    area: AreaQ = "00",
    end: dt.date | None = None,
) -> HTMLResponse:
    """CompStat of a jurisdiction on one printable page (every window, every crime level)."""
    area = "00" if area_level == "nation" else area
    end = end or dt.date.today()
    filters = {"area_level": area_level, "area": area, "end": end.isoformat()}
    _allow(request, principal, "compstat_page", filters)
    platform: Platform = request.app.state.platform
    with platform.engine.connect() as conn:
        rows = live_compstat(conn, area_level, area, end)
    by_window = {w: [r for r in rows if r.window is w] for w in WINDOWS}
    context = {
        **TREND_CONTEXT,
        "area_name": area_name(area_level, area),
        "area_level": area_level,
        "area": area,
        "end": end,
        "by_window": by_window,
        "csv_query": f"area_level={area_level}&area={area}&end={end.isoformat()}&format=csv",
    }
    return render(request, "trends_compstat.html", context, principal=principal)


@router.get("/trends/states.geojson")
def states_shapes(principal: UiPrincipal) -> Response:
    """The state outlines (public geography; cached by the browser for a day)."""
    body = json.dumps(states_geojson(), separators=(",", ":"))
    return Response(
        body,
        media_type="application/geo+json",
        headers={"Cache-Control": "private, max-age=86400"},
    )


@router.get("/trends/municipalities.json")
def municipalities(
    principal: UiPrincipal, state: Annotated[str, Query(pattern=r"^\d{2}$")]
) -> JSONResponse:
    """Centroids and names of a state's municipalities (for the municipal detail)."""
    return JSONResponse(municipality_points(state))


@router.get("/trends/cells.geojson")
def cells(
    request: Request,
    principal: UiPrincipal,
    bbox: Annotated[str, Query(max_length=100)],
    resolution: Annotated[int, Query(ge=6, le=8)] = 7,
    crime: CrimeQ = None,
    grain: Period = Period.MONTH,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Response:
    """The H3 cells with incidents inside ``bbox``, as hexagons with their counts."""
    f = _filters(crime, grain, since, until, "nation", "00")
    _allow(request, principal, "dashboard_cells", {**f.audited(), "bbox": bbox})
    platform: Platform = request.app.state.platform
    with platform.engine.connect() as conn:
        counted = area_counts(
            conn,
            f.grain,
            f"h3_{resolution}",
            f.crime,
            f.since,
            f.until,
            bbox=BoundingBox.parse(bbox),
            max_areas=platform.settings.trends_max_cells,
        )
    body = json.dumps(cells_geojson((c.area, c.count) for c in counted), separators=(",", ":"))
    return Response(body, media_type="application/geo+json")


def _as_page(request: Request, draw: Callable[[], HTMLResponse]) -> HTMLResponse:
    """A refusal or a bad filter as a page in the user's language (the API answers JSON)."""
    try:
        return draw()
    except RecordError as error:
        return record_error_page(request, error)


@router.get("/trends", response_class=HTMLResponse)
def trends_page(
    request: Request,
    principal: UiPrincipal,
    crime: CrimeQ = None,
    grain: Period = Period.MONTH,
    since: dt.date | None = None,
    until: dt.date | None = None,
    area_level: AreaLevelQ = "nation",
    area: AreaQ = "00",
) -> HTMLResponse:
    """The dashboard."""
    args = (request, principal, crime, grain, since, until, area_level, area)
    return _as_page(request, lambda: _trends_page(*args))


@router.get("/trends/panel", response_class=HTMLResponse)
def trends_panel(
    request: Request,
    principal: UiPrincipal,
    crime: CrimeQ = None,
    grain: Period = Period.MONTH,
    since: dt.date | None = None,
    until: dt.date | None = None,
    area_level: AreaLevelQ = "nation",
    area: AreaQ = "00",
) -> HTMLResponse:
    """The panel of one area (swapped in when a place is clicked or the counts change)."""
    args = (request, principal, crime, grain, since, until, area_level, area)
    return _as_page(request, lambda: _trends_panel(*args))


@router.get("/trends/compstat", response_class=HTMLResponse)
def compstat_page(
    request: Request,
    principal: UiPrincipal,
    area_level: AreaLevelQ = "nation",
    area: AreaQ = "00",
    end: dt.date | None = None,
) -> HTMLResponse:
    """CompStat of a jurisdiction on one printable page (every window, every crime level)."""
    return _as_page(request, lambda: _compstat_page(request, principal, area_level, area, end))
