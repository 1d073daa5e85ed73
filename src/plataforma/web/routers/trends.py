"""``/api/v1/trends``: the live counts, series with their alarms, CompStat and hotspots.

Only what translates HTTP: each call is authorised and audited by ``trends.access`` (the
policy's ``can_view_trends``: analysts, intelligence analysts, supervisors and auditors, with
``X-Purpose``), then answered by the trends package. Every figure comes from the live counts,
which hold only incidents every agency may read (PUBLIC and SBU, no restricted file).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sse_starlette import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from plataforma.security.policy import Purpose
from plataforma.trends import alarm_store
from plataforma.trends.access import authorise_trends
from plataforma.trends.compstat import COLUMNS as COMPSTAT_COLUMNS
from plataforma.trends.live_queries import BoundingBox, CrimeFilter, area_counts, series_of
from plataforma.trends.live_rates import area_name, population_from, rate_per_100k
from plataforma.trends.live_stream import count_events
from plataforma.trends.live_views import live_compstat, live_hotspots
from plataforma.trends.periods import Period
from plataforma.trends.series import CrimeLevel
from plataforma.web.deps import CurrentPrincipal, PlatformDep, PurposeDep

router = APIRouter(prefix="/trends", tags=["trends"])

AreaLevelQ = Annotated[
    str,
    Query(
        pattern=r"^(nation|state|municipality|h3_6|h3_7|h3_8)$",
        description="nation, state, municipality, or H3 cells h3_6 … h3_8",
    ),
]
CrimeQ = Annotated[
    str | None,
    Query(max_length=120, description="A code at ``crime_level`` (none: every crime)"),
]
CrimeLevelQ = Annotated[CrimeLevel, Query(description="subtipo, tipo or bien_juridico")]
StateQ = Annotated[str | None, Query(pattern=r"^\d{2}$", description="Only this state's areas")]
BBoxQ = Annotated[
    str | None,
    Query(max_length=100, description="south,west,north,east in degrees (H3 levels need it)"),
]
AreaQ = Annotated[str, Query(min_length=2, max_length=16, description="Area code (00 nation)")]
MAX_ALARMS_PAGE = 200
#: Seconds a stream may wait on a client that stopped reading before it is dropped.
SEND_TIMEOUT = 10.0


def _default_since(grain: Period, until: dt.date) -> dt.date:
    back = {Period.DAY: 90, Period.WEEK: 7 * 52, Period.MONTH: 365 * 2}[grain]
    return until - dt.timedelta(days=back)


class AreaCountOut(BaseModel):
    area: str
    name: str
    period_start: dt.date | None = Field(description="None: the total of the window")
    count: int
    rate_per_100k: float | None = Field(description="None without population for the area")


class CountsOut(BaseModel):
    grain: Period
    area_level: str
    crime_level: CrimeLevel
    crime: str | None
    since: dt.date
    until: dt.date
    items: list[AreaCountOut]


@router.get("/counts", response_model=CountsOut)
def counts(
    principal: CurrentPrincipal,
    platform: PlatformDep,
    purpose: PurposeDep,
    area_level: AreaLevelQ = "state",
    grain: Period = Period.MONTH,
    crime_level: CrimeLevelQ = CrimeLevel.SUBTIPO,
    crime: CrimeQ = None,
    state: StateQ = None,
    bbox: BBoxQ = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    by_period: bool = False,
) -> CountsOut:
    """Incidents per area over the periods starting between ``since`` and ``until``.

    Totals per area, or one row per area and period with ``by_period``; rates per 100,000
    inhabitants where ``PLATAFORMA_TRENDS_POPULATION_FILE`` gives the population.
    """
    until = until or dt.date.today()
    since = since or _default_since(grain, until)
    filters = {"area_level": area_level, "grain": grain, "crime": crime, "state": state}
    authorise_trends(platform, principal, purpose, "counts", {**filters, "bbox": bbox})
    chosen = CrimeFilter.of(crime_level, crime)
    box = BoundingBox.parse(bbox) if bbox else None
    with platform.engine.connect() as conn:
        rows = area_counts(
            conn,
            grain,
            area_level,
            chosen,
            since,
            until,
            state=state,
            bbox=box,
            by_period=by_period,
            max_areas=platform.settings.trends_max_cells,
        )
    people = population_from(platform.settings.trends_population_file)
    items = [
        AreaCountOut(
            area=r.area,
            name=area_name(area_level, r.area),
            period_start=r.period_start,
            count=r.count,
            rate_per_100k=rate_per_100k(people, r.area, (r.period_start or until).year, r.count),
        )
        for r in rows
    ]
    return CountsOut(
        grain=grain,
        area_level=area_level,
        crime_level=crime_level,
        crime=chosen.code,
        since=since,
        until=until,
        items=items,
    )


class SeriesOut(BaseModel):
    grain: Period
    area_level: str
    area: str
    name: str
    crime_level: CrimeLevel
    crime: str | None
    periods: list[dt.date]
    counts: list[int]
    alarms: list[dict[str, Any]] = Field(description="Alarms of this series in the window")


@router.get("/series", response_model=SeriesOut)
def series(
    principal: CurrentPrincipal,
    platform: PlatformDep,
    purpose: PurposeDep,
    area: AreaQ = "00",
    area_level: AreaLevelQ = "nation",
    grain: Period = Period.MONTH,
    crime_level: CrimeLevelQ = CrimeLevel.SUBTIPO,
    crime: CrimeQ = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> SeriesOut:
    """One area × crime over time, zeros included, with the alarms raised on it."""
    until = until or dt.date.today()
    since = since or _default_since(grain, until)
    filters = {"area_level": area_level, "area": area, "grain": grain, "crime": crime}
    authorise_trends(platform, principal, purpose, "series", filters)
    chosen = CrimeFilter.of(crime_level, crime)
    with platform.engine.connect() as conn:
        found = series_of(conn, grain, area_level, area, chosen, since, until)
        alarms = (
            alarm_store.alarms_of_series(
                conn, grain.value, area_level, area, crime_level.value, chosen.code
            )
            if chosen.code is not None
            else []
        )
    return SeriesOut(
        grain=grain,
        area_level=area_level,
        area=area,
        name=area_name(area_level, area),
        crime_level=crime_level,
        crime=chosen.code,
        periods=found.starts,
        counts=found.counts,
        alarms=[a.as_json() for a in alarms if since <= a.period_start <= until],
    )


@router.get(
    "/compstat",
    responses={200: {"content": {"application/json": {}, "text/csv": {}}}},
)
def compstat(
    principal: CurrentPrincipal,
    platform: PlatformDep,
    purpose: PurposeDep,
    area: AreaQ = "00",
    area_level: Annotated[str, Query(pattern=r"^(nation|state|municipality)$")] = "nation",
    end: dt.date | None = None,
    file_format: Annotated[str, Query(alias="format", pattern=r"^(json|csv)$")] = "json",
) -> Response:
    """CompStat of a jurisdiction: week to date, 28 days and year to date against the same
    days a year earlier, with % change and the exact Poisson test; JSON or CSV."""
    end = end or dt.date.today()
    filters = {"area_level": area_level, "area": area, "end": end.isoformat()}
    authorise_trends(platform, principal, purpose, "compstat", filters)
    with platform.engine.connect() as conn:
        rows = live_compstat(conn, area_level, area, end)
    if file_format == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COMPSTAT_COLUMNS)
        for row in rows:
            change = "" if row.change_pct is None else f"{row.change_pct:.1f}"
            writer.writerow(
                [
                    *(row.area_level, row.area, row.crime_level, row.crime_type, row.window),
                    *(row.start.isoformat(), row.end.isoformat(), row.current, row.previous),
                    *(change, f"{row.p_value:.4g}"),
                ]
            )
        name = f"compstat-{area}-{end.isoformat()}.csv"
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    body = [
        {
            **{k: getattr(row, k) for k in COMPSTAT_COLUMNS if k not in ("start", "end")},
            "start": row.start.isoformat(),
            "end": row.end.isoformat(),
            "window": str(row.window),
        }
        for row in rows
    ]
    return Response(
        orjson.dumps({"area": area, "name": area_name(area_level, area), "end": end, "rows": body}),
        media_type="application/json",
    )


class HotspotOut(BaseModel):
    cell: str
    count: int
    z: float
    p: float
    hot: bool
    cold: bool


@router.get("/hotspots", response_model=list[HotspotOut])
def hotspots(
    principal: CurrentPrincipal,
    platform: PlatformDep,
    purpose: PurposeDep,
    bbox: Annotated[str, Query(max_length=100, description="south,west,north,east")],
    resolution: Annotated[int, Query(ge=6, le=8)] = 7,
    grain: Period = Period.MONTH,
    crime_level: CrimeLevelQ = CrimeLevel.SUBTIPO,
    crime: CrimeQ = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[HotspotOut]:
    """Getis-Ord Gi* on the live H3 counts inside ``bbox`` (FDR-controlled hot and cold)."""
    until = until or dt.date.today()
    since = since or until - dt.timedelta(days=90)
    filters = {"bbox": bbox, "resolution": resolution, "crime": crime, "grain": grain}
    authorise_trends(platform, principal, purpose, "hotspots", filters)
    chosen = CrimeFilter.of(crime_level, crime)
    box = BoundingBox.parse(bbox)
    with platform.engine.connect() as conn:
        cells = live_hotspots(
            conn,
            resolution,
            chosen,
            grain,
            since,
            until,
            box,
            max_cells=platform.settings.trends_max_cells,
        )
    return [HotspotOut(**vars(c)) for c in cells]


class AlarmPage(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: str | None


@router.get("/alarms", response_model=AlarmPage)
def alarms(
    principal: CurrentPrincipal,
    platform: PlatformDep,
    purpose: PurposeDep,
    grain: Period | None = None,
    area_level: Annotated[str | None, Query(pattern=r"^(nation|state|municipality)$")] = None,
    area: Annotated[str | None, Query(max_length=16)] = None,
    state: StateQ = None,
    crime_level: CrimeLevel | None = None,
    crime: Annotated[str | None, Query(max_length=120)] = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    cursor: Annotated[str | None, Query(max_length=36)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_ALARMS_PAGE)] = 50,
) -> AlarmPage:
    """Alarms raised on the live counts, newest first; ``next_cursor`` → ``cursor``."""
    filters = {"grain": grain, "area": area, "state": state, "crime": crime, "cursor": cursor}
    authorise_trends(platform, principal, purpose, "alarms", filters)
    where = alarm_store.AlarmFilter(
        grain=grain.value if grain else None,
        area_level=area_level,
        area=area,
        state=state,
        crime_level=crime_level.value if crime_level else None,
        crime_type=crime,
        since=since,
        until=until,
    )
    with platform.engine.connect() as conn:
        items, next_cursor = alarm_store.alarm_page(conn, where, cursor, limit)
    return AlarmPage(items=[a.as_json() for a in items], next_cursor=next_cursor)


@router.get("/stream", response_class=EventSourceResponse)
async def stream(
    principal: CurrentPrincipal,
    platform: PlatformDep,
    purpose: Annotated[
        Purpose | None,
        Query(description="Why you watch (EventSource cannot send X-Purpose)"),
    ] = None,
    x_purpose: PurposeDep = None,
) -> EventSourceResponse:
    """Server-Sent Events: ``ready``, then ``counts`` whenever the live counts changed (at
    most one a second); read them again with ``/counts``. Authorised and audited once."""
    chosen = x_purpose or purpose
    await run_in_threadpool(authorise_trends, platform, principal, chosen, "stream", {})
    return EventSourceResponse(count_events(platform), ping=15, send_timeout=SEND_TIMEOUT)
