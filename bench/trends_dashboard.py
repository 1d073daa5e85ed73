"""The trends dashboard's first render and the alarms job, on a store of live counts.

The store: ``--incidents`` synthetic incidents (municipalities of the packaged catalogue by
population, SESNSP subtipos on a skewed distribution, days over two years) turned into the
live count rows the ``trends`` consumer would keep (subtipo × nation/state/municipality/H3
6-8 × day/week/month) and inserted directly, which is how a store of over a million count
rows is built in seconds; the figures say how many rows and incidents that is.

``trends_dashboard_first_render_ms``: a cold page load of ``/ui/trends`` in headless
chromium (new browser context each time: no cache), from navigation start to the state map
drawn with its counts (``data-trends-ready-ms``); median of ``--loads``.
``trends_dashboard_server_ms``: the server's answer to ``/ui/trends`` (median of 5; policy,
audit, counts, series, alarms, CompStat, template). Baseline, same run: what a page without
live counts computes per render, the same aggregates by DuckDB over a Parquet extract of the
same incidents (the analytics path DESIGN names), query time only.

``trends_alarms_all_series_s``: one run of the periodic alarms job (month, week, day plans,
every live series with FDR) on that store. Baseline, same run: a per-series
statsmodels GLM (quasi-Poisson with trend, one ``fit`` per series, what an analyst scripting
it would write) timed on a sample of month series, times the number of series the job
evaluated.

    python bench/trends_dashboard.py [--incidents 400000] [--loads 5] [--smoke]
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import h3.api.basic_int as h3int
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from _common import is_smoke, metric, write_results
from _server import temp_dir
from sqlalchemy import func, select

from plataforma.context import Platform
from plataforma.model.codes import all_crime_types, all_municipalities
from plataforma.settings import Settings
from plataforma.store.engine import begin_write
from plataforma.store.tables import trend_counts
from plataforma.trends.alarm_job import run_alarm_job
from plataforma.trends.cells import cells_at
from plataforma.trends.compstat import windows as compstat_windows
from plataforma.trends.live_alarms import PLANS
from plataforma.trends.live_cube import live_cube
from plataforma.trends.periods import Period, index_of, period_index, period_start

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
PASSWORD = "bench password 1"
TOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TODAY = dt.date.today()


def synthetic_incidents(n: int, seed: int = 5) -> pd.DataFrame:
    """n incidents: municipality (by population), subtipo (skewed), local day, point."""
    rng = np.random.default_rng(seed)
    places = [m for m in all_municipalities() if m.lat is not None and m.lon is not None]
    weight = np.array([float(m.population or 50_000) for m in places])
    pick = rng.choice(len(places), size=n, p=weight / weight.sum())
    crimes = [t.code for t in all_crime_types()]
    skew = 1.0 / np.arange(1, len(crimes) + 1) ** 1.1
    crime = rng.choice(len(crimes), size=n, p=skew / skew.sum())
    days = np.datetime64(TODAY.isoformat(), "D") - rng.integers(0, 730, size=n).astype("m8[D]")
    lat = np.array([places[i].lat for i in pick]) + rng.normal(0, 0.04, n)
    lon = np.array([places[i].lon for i in pick]) + rng.normal(0, 0.04, n)
    return pd.DataFrame(
        {
            "state": [places[i].state for i in pick],
            "municipality": [places[i].code for i in pick],
            "crime": np.array(crimes)[crime],
            "day": np.array(days, dtype="datetime64[D]"),
            "lat": lat,
            "lon": lon,
        }
    )


def count_rows(incidents: pd.DataFrame) -> list[tuple[Any, ...]]:
    """The live count rows those incidents make (as `contribution.count_keys` would)."""
    frame = incidents.copy()
    frame["nation"] = "00"
    cells = cells_at(frame["lat"].to_numpy(), frame["lon"].to_numpy(), (6, 7, 8))
    for resolution, values in cells.items():
        names = {int(c): h3int.int_to_str(int(c)) for c in np.unique(values)}
        frame[f"h3_{resolution}"] = [names[int(c)] for c in values]
    days = frame["day"].to_numpy()
    for grain in Period:
        index = period_index(days, grain)
        unique = np.unique(index)
        lookup = {int(i): period_start(int(i), grain).isoformat() for i in unique}
        frame[f"p_{grain.value}"] = [lookup[int(i)] for i in index]
    rows: list[tuple[Any, ...]] = []
    for level in ("nation", "state", "municipality", "h3_6", "h3_7", "h3_8"):
        for grain in Period:
            grouped = frame.groupby([level, "crime", f"p_{grain.value}"]).size()
            rows.extend(
                (grain.value, crime, level, area, start, int(n))
                for (area, crime, start), n in grouped.items()
            )
    return rows


def build_store(platform: Platform, rows: list[tuple[Any, ...]]) -> None:
    with begin_write(platform.engine) as conn:
        for start in range(0, len(rows), 50_000):
            conn.exec_driver_sql(
                "INSERT INTO trend_counts (grain, crime_type, area_level, area, period_start,"
                ' "count") VALUES (?, ?, ?, ?, ?, ?)',
                rows[start : start + 50_000],
            )
    with platform.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")


def add_analyst(platform: Platform) -> None:
    from plataforma.model.envelope import Marking
    from plataforma.records.service import RecordService
    from plataforma.security.identity import create_user
    from plataforma.security.principal import LOCAL_ADMIN, Role

    agency = {"source_ref": "SSPC", "agency": "SSPC", "name": "SSPC", "level": "federal",
              "kind": "police"}  # fmt: skip
    RecordService(platform).submit(LOCAL_ADMIN, "agency", agency)
    with begin_write(platform.engine) as conn:
        create_user(conn, "analista", "Analista", "SSPC", [Role.ANALYST], PASSWORD,
                    Marking.SECRET, [], totp_secret=TOTP)  # fmt: skip


def measure_render(platform: Platform, loads: int) -> tuple[float, float, list[float]]:
    """(browser first render ms median, server page ms median, every browser load)."""
    import sys

    import httpx
    from playwright.sync_api import sync_playwright

    from plataforma.security.passwords import current_totp
    from plataforma.web.app import create_app

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "web"))
    from server_process import threaded_server

    with threaded_server(create_app(platform)) as url:
        login = httpx.post(
            f"{url}/api/v1/auth/token",
            json={"username": "analista", "password": PASSWORD, "totp": current_totp(TOTP)},
        )
        token = login.json()["access_token"]
        cookies = {"plataforma_token": token}
        # Warm the process once (imports, the simplified state outlines cached per process):
        # a server that has been up a minute has done this; the browser side stays cold.
        httpx.get(f"{url}/ui/trends", cookies=cookies, timeout=60)
        httpx.get(f"{url}/ui/trends/states.geojson", cookies=cookies, timeout=60)
        server_ms = []
        for _ in range(5):
            started = time.perf_counter()
            reply = httpx.get(f"{url}/ui/trends", cookies=cookies, timeout=60)
            server_ms.append((time.perf_counter() - started) * 1000)
            assert reply.status_code == 200, reply.text[:300]
        browser_ms: list[float] = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            for _ in range(loads):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                host = url.split("//", 1)[1].split(":")[0]
                context.add_cookies([{"name": "plataforma_token", "value": token,
                                      "domain": host, "path": "/"}])  # fmt: skip
                page = context.new_page()
                page.goto(f"{url}/ui/trends")
                page.wait_for_selector("body[data-trends-ready='1']", timeout=60_000)
                browser_ms.append(float(page.get_attribute("body", "data-trends-ready-ms") or 0))
                context.close()
            browser.close()
    return statistics.median(browser_ms), statistics.median(server_ms), browser_ms


def duckdb_page_ms(incidents: pd.DataFrame, folder: Path) -> float:
    """The baseline: the page's aggregates from a Parquet extract of the incidents with DuckDB
    (what a dashboard without live counts computes per render): state counts of the window,
    the national monthly series, and CompStat's six window sums by crime type."""
    path = folder / "incidents.parquet"
    pq.write_table(pa.Table.from_pandas(incidents[["state", "crime", "day"]]), path)
    since = (TODAY - dt.timedelta(days=730)).isoformat()
    source = f"read_parquet('{path}')"
    queries = [
        f"SELECT state, count(*) FROM {source} WHERE day >= DATE '{since}' GROUP BY state",
        f"SELECT date_trunc('month', day) AS m, count(*) FROM {source} "
        f"WHERE day >= DATE '{since}' GROUP BY m ORDER BY m",
    ]
    for start, stop, prev_start, prev_stop in compstat_windows(TODAY).values():
        for a, b in ((start, stop), (prev_start, prev_stop)):
            queries.append(
                f"SELECT crime, count(*) FROM {source} WHERE day BETWEEN DATE '{a.isoformat()}'"
                f" AND DATE '{b.isoformat()}' GROUP BY crime"
            )
    times = []
    for _ in range(5):
        started = time.perf_counter()
        con = duckdb.connect()
        for query in queries:
            con.execute(query).fetchall()
        con.close()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def statsmodels_per_series_s(platform: Platform, sample: int) -> tuple[float, int]:
    """Seconds per series of one quasi-Poisson GLM fit (a sample of month series), and how
    many month series there are."""
    import statsmodels.api as sm

    plan = PLANS[0]
    last = index_of(TODAY, Period.MONTH)
    with platform.engine.connect() as conn:
        cube = live_cube(conn, Period.MONTH, plan.area_levels, last - 24, last,
                         crime_levels=plan.crime_levels)  # fmt: skip
    rows = np.random.default_rng(1).choice(len(cube), size=min(sample, len(cube)), replace=False)
    x = sm.add_constant(np.arange(cube.periods - 1, dtype=float))
    started = time.perf_counter()
    for row in rows:
        y = cube.counts[row, :-1]
        sm.GLM(y, x, family=sm.families.Poisson()).fit(scale="X2")
    per_series = (time.perf_counter() - started) / max(len(rows), 1)
    return per_series, len(cube)


def series_count(platform: Platform) -> int:
    """How many series the job evaluated: those of each plan's window with an incident."""
    from plataforma.trends.live_alarms import HISTORY, first_counted

    total = 0
    with platform.engine.connect() as conn:
        for plan in PLANS:
            last = index_of(TODAY, plan.grain)
            start = first_counted(conn, plan.grain)
            if start is None:
                continue
            first = max(last - 1 - HISTORY[plan.grain], start)
            cube = live_cube(
                conn, plan.grain, plan.area_levels, first, last, crime_levels=plan.crime_levels
            )
            total += len(cube)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--incidents", type=int, default=400_000)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    smoke = is_smoke()
    n = 4_000 if smoke else args.incidents
    loads = 1 if smoke else args.loads
    with temp_dir() as data, tempfile.TemporaryDirectory() as scratch:
        platform = Platform.open(Settings(data_dir=data))
        try:
            started = time.perf_counter()
            incidents = synthetic_incidents(n)
            rows = count_rows(incidents)
            build_store(platform, rows)
            build_s = time.perf_counter() - started
            with platform.engine.connect() as conn:
                stored = conn.execute(select(func.count()).select_from(trend_counts)).scalar_one()
            print(f"store: {stored} live count rows for {n} incidents, built in {build_s:.1f} s")
            add_analyst(platform)
            started = time.perf_counter()
            new_alarms = run_alarm_job(platform, today=TODAY)
            alarms_s = time.perf_counter() - started
            evaluated = series_count(platform)
            per_series, month_series = statsmodels_per_series_s(platform, 30 if smoke else 200)
            glm_s = per_series * evaluated
            baseline_ms = duckdb_page_ms(incidents, Path(scratch))
            metrics = {
                "trends_alarms_all_series_s": metric(
                    alarms_s,
                    "s",
                    glm_s,
                    "statsmodels GLM fit per series, timed on a sample, times the series evaluated",
                    series=evaluated,
                    month_series=month_series,
                    alarms=new_alarms,
                )
            }
            if CHROMIUM.exists() or shutil.which("chromium"):
                render_ms, server_ms, every = measure_render(platform, loads)
                print(f"server answers /ui/trends in {server_ms:.0f} ms (median of 5)")
                metrics["trends_dashboard_first_render_ms"] = metric(
                    render_ms,
                    "ms",
                    None,
                    None,
                    note="cold browser context; includes the server's answer (next metric)",
                    loads_ms=every,
                )
                metrics["trends_dashboard_server_ms"] = metric(
                    server_ms,
                    "ms",
                    baseline_ms,
                    "DuckDB over a Parquet extract of the incidents: the page's aggregates"
                    " (state counts, national series, CompStat sums), query time only",
                )
            else:
                print("chromium absent: trends_dashboard_first_render_ms not measured")
        finally:
            platform.close()
    write_results(
        "trends_dashboard",
        metrics,
        incidents=n,
        live_count_rows=stored,
        store_build_s=round(build_s, 1),
        store="SQLite (embedded default)",
    )


if __name__ == "__main__":
    main()
