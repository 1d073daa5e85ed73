"""Hotspots: cleaning places, H3 cells, Gi* at national scale, emerging patterns, backtests.

Synthetic national months written here, independent of ``plataforma.synth``: background
incidents around municipality centroids (INEGI's 2,463 centroids and CONAPO's population
from ``../shared/data/mexico`` when present, read only; the packaged table otherwise), plus
planted clusters ~300 m wide of three kinds: persistent, intensifying (rate ×0.3 → ×1.7
over the months) and new (last month only). Coordinates are then damaged the way clerks
and GPS units damage them (swapped, sign lost, missing, 0/0, abroad).

Measured side by side, in the same run:
* places cleaning per million incidents, against a GeoPandas spatial join of the points to
  the state outlines (what a user reaches for first; it only finds the state, no repairs);
* H3 cells at three resolutions, against one h3 call per point and resolution;
* Gi* over every H3 cell of a national month, against esda's ``G_Local(star=True)``;
* backtest hit rate and PAI of period t's hotspots on period t+1's incidents, Gi* (and
  kernel density) against the naive pick of last period's top-count cells.

    python bench/hotspots.py [--per-month 150000] [--months 6] [--smoke]
"""

from __future__ import annotations

import argparse
import csv
import time
import warnings
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import h3.api.basic_int as h3int
import numpy as np
from _common import is_smoke, median, metric, write_results

from plataforma.model.codes import all_municipalities, all_states
from plataforma.trends.cells import cells_at
from plataforma.trends.hotspots import (
    Pattern,
    Period,
    backtest,
    cell_cube,
    emerging_hotspots,
    gi_star,
    h3_ring_weights,
    study_cells,
)
from plataforma.trends.hotspots.units import count_in
from plataforma.trends.places import clean_coordinates
from plataforma.trends.territory import Territory, libpysal_mexico_shapes

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "mexico"
RESOLUTION = 8
CLUSTER_SIGMA_DEG = 0.003
TOWN_SIGMA_DEG = 0.04


@dataclass(frozen=True)
class Towns:
    code: np.ndarray
    state: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    weight: np.ndarray
    source: str


def load_towns() -> Towns:
    """INEGI centroids weighted by CONAPO 2024 population if readable, else the packaged table."""
    centroids, population = (
        SHARED / "municipio_centroids.csv",
        SHARED / "conapo_poblacion_municipal.csv",
    )
    if centroids.is_file() and population.is_file():
        with population.open(encoding="utf-8") as handle:
            people = {r["CVE"]: float(r.get("2024") or 1) for r in csv.DictReader(handle)}
        rows = []
        with centroids.open(encoding="utf-8") as handle:
            for r in csv.DictReader(handle):
                code = f"{int(r['state_code']):02d}{int(r['mun_code']):03d}"
                rows.append(
                    (code, code[:2], float(r["lat"]), float(r["long"]), people.get(code, 1000.0))
                )
        source = "shared/data INEGI centroids + CONAPO 2024"
    else:
        rows = [
            (m.code, m.state, m.lat, m.lon, float(m.population or 1000))
            for m in all_municipalities()
            if m.lat is not None and m.lon is not None
        ]
        source = "packaged municipalities (shared data absent)"
    code, state, lat, lon, weight = zip(*rows, strict=True)
    w = np.array(weight)
    return Towns(np.array(code), np.array(state), np.array(lat), np.array(lon), w / w.sum(), source)


def territory_of(towns: Towns) -> Territory:
    states = all_states()
    return Territory(
        state_codes=tuple(s.code for s in states),
        state_lat=np.array([s.lat for s in states]),
        state_lon=np.array([s.lon for s in states]),
        municipality_centroids={
            c: (a, b) for c, a, b in zip(towns.code, towns.lat, towns.lon, strict=True)
        },
        municipality_states=dict(zip(towns.code, towns.state, strict=True)),
        state_shapes=libpysal_mexico_shapes(),
    )


@dataclass(frozen=True)
class Plant:
    lat: np.ndarray
    lon: np.ndarray
    kind: np.ndarray  # "persistent", "intensifying", "new"
    rate: np.ndarray  # incidents a month at full strength


def plant(rng: np.random.Generator, towns: Towns, count: int, per_month: int) -> Plant:
    town = rng.choice(len(towns.code), size=count, p=towns.weight)
    kind = rng.choice(["persistent", "intensifying", "new"], size=count, p=[0.6, 0.2, 0.2])
    # Clusters hold ~15 % of a month's incidents, as crime concentrates in a few places.
    rate = rng.uniform(0.5, 1.5, count) * 0.15 * per_month / count
    return Plant(
        towns.lat[town] + rng.normal(0, 0.02, count),
        towns.lon[town] + rng.normal(0, 0.02, count),
        kind,
        rate,
    )


def month(
    rng: np.random.Generator, towns: Towns, plants: Plant, m: int, months: int, per_month: int
) -> dict[str, np.ndarray]:
    """One month's incidents: lat, lon, state, municipality (clean coordinates)."""
    growth = 0.3 + 1.4 * m / max(months - 1, 1)
    strength = np.where(plants.kind == "intensifying", growth, 1.0)
    strength = np.where(plants.kind == "new", 2.0 * (m == months - 1), strength)
    sizes = rng.poisson(plants.rate * strength)
    which = np.repeat(np.arange(len(sizes)), sizes)
    background = max(per_month - len(which), 0)
    town = rng.choice(len(towns.code), size=background, p=towns.weight)
    lat = np.r_[
        towns.lat[town] + rng.normal(0, TOWN_SIGMA_DEG, background),
        plants.lat[which] + rng.normal(0, CLUSTER_SIGMA_DEG, len(which)),
    ]
    lon = np.r_[
        towns.lon[town] + rng.normal(0, TOWN_SIGMA_DEG, background),
        plants.lon[which] + rng.normal(0, CLUSTER_SIGMA_DEG, len(which)),
    ]
    # Cluster incidents belong to the nearest town's record; the nearest by index is enough here.
    near = rng.choice(len(towns.code), size=len(which), p=towns.weight)
    muni = np.r_[towns.code[town], towns.code[near]]
    return {"lat": lat, "lon": lon, "municipality": muni, "state": np.array([c[:2] for c in muni])}


def damage(
    rng: np.random.Generator, lat: np.ndarray, lon: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """1 % swapped, 0.5 % sign lost, 1 % missing, 0.2 % at 0/0, 0.2 % abroad."""
    lat, lon = lat.copy(), lon.copy()
    draw = rng.random(len(lat))
    swap = draw < 0.01
    lat[swap], lon[swap] = lon[swap].copy(), lat[swap].copy()
    sign = (draw >= 0.01) & (draw < 0.015)
    lon[sign] = -lon[sign]
    missing = (draw >= 0.015) & (draw < 0.025)
    lat[missing] = lon[missing] = np.nan
    zero = (draw >= 0.025) & (draw < 0.027)
    lat[zero] = lon[zero] = 0.0
    abroad = (draw >= 0.027) & (draw < 0.029)
    lat[abroad], lon[abroad] = 40.4, -3.7  # Madrid
    return lat, lon


def _timed(fn: Any, repeat: int = 3) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return median(times), result


def bench_places(
    rng: np.random.Generator, towns: Towns, territory: Territory, n: int
) -> dict[str, Any]:
    town = rng.choice(len(towns.code), size=n, p=towns.weight)
    lat, lon = damage(
        rng,
        towns.lat[town] + rng.normal(0, TOWN_SIGMA_DEG, n),
        towns.lon[town] + rng.normal(0, TOWN_SIGMA_DEG, n),
    )
    state, muni = towns.state[town], towns.code[town]
    clean_s, clean = _timed(lambda: clean_coordinates(lat, lon, state, muni, territory), 3)
    cells_s, _ = _timed(lambda: cells_at(clean.latitude, clean.longitude, [6, 7, 8]), 3)
    sample = min(n, 100_000)
    placed_lat, placed_lon = clean.latitude[:sample], clean.longitude[:sample]
    ok = np.isfinite(placed_lat)
    plain_lat, plain_lon = placed_lat[ok].tolist(), placed_lon[ok].tolist()
    started = time.perf_counter()
    for r in (6, 7, 8):
        [h3int.latlng_to_cell(a, b, r) for a, b in zip(plain_lat, plain_lon, strict=True)]
    per_call = (time.perf_counter() - started) / len(plain_lat)
    per_million = 1_000_000 / n
    out = {
        "hotspots_places_clean_per_million_s": clean_s * per_million,
        "hotspots_h3_cells_3_resolutions_per_million_s": cells_s * per_million,
        "h3_baseline_per_million_s": per_call * 1_000_000,
        "counts": clean.counts(),
    }
    try:
        import geopandas as gpd

        shapes = libpysal_mexico_shapes()
        frame = gpd.GeoDataFrame(
            {"state": list(shapes)}, geometry=list(shapes.values()), crs="EPSG:4326"
        )
        finite = np.isfinite(lat[:sample]) & np.isfinite(lon[:sample])
        points = gpd.GeoDataFrame(
            geometry=gpd.points_from_xy(lon[:sample][finite], lat[:sample][finite]), crs="EPSG:4326"
        )
        join_s, _ = _timed(lambda: gpd.sjoin(points, frame, predicate="within", how="left"), 3)
        out["geopandas_sjoin_per_million_s"] = join_s * 1_000_000 / finite.sum()
    except ImportError:
        out["geopandas_sjoin_per_million_s"] = None
    return out


def bench_gi_national(cells: np.ndarray, esda_limit: int) -> dict[str, Any]:
    study = study_cells(cells, 1)
    counts = count_in(study, cells)
    weights_s, weights = _timed(lambda: h3_ring_weights(study, 1), 1)
    gi_s, gi = _timed(lambda: gi_star(counts, weights), 3)
    out: dict[str, Any] = {
        "cells": len(study),
        "weights_s": weights_s,
        "ours_s": gi_s,
        "hot": int(gi.hot.sum()),
    }
    import esda
    from libpysal.weights import WSP

    # esda on the whole grid when it fits the time box; else on the first cells, scaled per cell.
    subset = min(len(study), esda_limit)
    matrix = weights.matrix[:subset, :subset].tolil()
    matrix.setdiag(0)
    matrix = matrix.tocsr()
    matrix.eliminate_zeros()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        started = time.perf_counter()
        w = WSP(matrix).to_W(silence_warnings=True)
        esda_result = esda.G_Local(counts[:subset], w, transform="B", star=True, permutations=0)
        esda_s = time.perf_counter() - started
    ours_subset = gi_star(
        counts[:subset], type(weights)(weights.matrix[:subset, :subset].tocsr(), "subset")
    )
    out["esda_s"] = esda_s * len(study) / subset
    out["esda_cells_timed"] = subset
    out["esda_max_abs_z_difference"] = float(np.abs(esda_result.Zs - ours_subset.z).max())
    return out


def run(
    per_month: int, months: int, clusters: int, places_n: int, esda_limit: int, seed: int = 7
) -> None:
    rng = np.random.default_rng(seed)
    towns = load_towns()
    territory = territory_of(towns)
    places = bench_places(rng, towns, territory, places_n)
    plants = plant(rng, towns, clusters, per_month)
    data = [month(rng, towns, plants, m, months, per_month) for m in range(months)]
    lat = np.concatenate([d["lat"] for d in data])
    lon = np.concatenate([d["lon"] for d in data])
    step = np.repeat(np.arange(months), [len(d["lat"]) for d in data])
    cells = cells_at(lat, lon, [RESOLUTION])[RESOLUTION]
    gi = bench_gi_national(cells[step == months - 1], esda_limit)
    occurred = (np.datetime64("2024-01", "M") + step).astype("datetime64[s]")
    cube = cell_cube(cells, occurred, Period.MONTH)
    emerging_s, emerging = _timed(lambda: emerging_hotspots(cube), 1)
    backtest_s, scores = _timed(lambda: backtest(cube, budget_share=0.005), 1)
    by_method: dict[str, list[Any]] = defaultdict(list)
    for score in scores:
        by_method[score.method].append(score)
    mean = {
        m: (
            float(np.mean([s.hit_rate for s in v])),
            float(np.mean([s.pai for s in v])),
            float(np.mean([s.area_share for s in v])),
        )
        for m, v in by_method.items()
    }
    centre = np.array(
        [
            h3int.latlng_to_cell(a, b, RESOLUTION)
            for a, b in zip(plants.lat, plants.lon, strict=True)
        ],
        dtype=np.uint64,
    )
    row = np.searchsorted(cube.cells, centre)
    found = (row < len(cube.cells)) & (cube.cells[np.minimum(row, len(cube.cells) - 1)] == centre)
    patterns = np.array(
        [str(emerging.patterns[r]) if f else "absent" for r, f in zip(row, found, strict=True)]
    )
    hot_last = np.array(
        [bool(emerging.gi.hot[r, -1]) if f else False for r, f in zip(row, found, strict=True)]
    )
    live = plants.kind != "new"
    naive_pick = set(
        np.argsort(-cube.counts[:, -1], kind="stable")[: int(emerging.gi.hot[:, -1].sum())].tolist()
    )
    naive_recall = float(
        np.mean(
            [bool(f) and int(r) in naive_pick for r, f in zip(row[live], found[live], strict=True)]
        )
    )

    def recall(kind: str, wanted: set[str]) -> float:
        chosen = plants.kind == kind
        return (
            100.0 * float(np.isin(patterns[chosen], list(wanted)).mean())
            if chosen.any()
            else float("nan")
        )

    hot_words = {str(p) for p in Pattern if p.name.endswith("_HOT")}
    by_kind = {
        kind: dict(zip(*np.unique(patterns[plants.kind == kind], return_counts=True), strict=True))
        for kind in ("persistent", "intensifying", "new")
    }
    by_kind = {k: {str(p): int(c) for p, c in v.items()} for k, v in by_kind.items()}
    metrics = {
        "hotspots_places_clean_per_million_s": metric(
            places["hotspots_places_clean_per_million_s"],
            "s",
            places["geopandas_sjoin_per_million_s"],
            "GeoPandas sjoin of points to state outlines (no repairs)",
        ),
        "hotspots_h3_cells_3_resolutions_per_million_s": metric(
            places["hotspots_h3_cells_3_resolutions_per_million_s"],
            "s",
            places["h3_baseline_per_million_s"],
            "one h3.latlng_to_cell call per point and resolution",
        ),
        "hotspots_gistar_national_month_s": metric(
            gi["ours_s"],
            "s",
            gi["esda_s"],
            "esda G_Local(star=True, permutations=0)",
            cells=gi["cells"],
            weights_build_s=round(gi["weights_s"], 3),
            esda_cells_timed=gi["esda_cells_timed"],
            max_abs_z_difference=gi["esda_max_abs_z_difference"],
        ),
        "hotspots_emerging_national_s": metric(
            emerging_s, "s", cells=len(cube.cells), steps=len(cube.steps)
        ),
        "hotspots_backtest_hit_rate_pct": metric(
            100 * mean["gi_star"][0],
            "%",
            100 * mean["naive"][0],
            "last period's top-count cells, same number of cells",
            kde_pct=round(100 * mean["kde"][0], 3),
            area_share_pct=round(100 * mean["gi_star"][2], 3),
        ),
        "hotspots_backtest_pai_ratio": metric(
            mean["gi_star"][1],
            "ratio",
            mean["naive"][1],
            "last period's top-count cells, same number of cells",
            kde=round(mean["kde"][1], 3),
            gi_star_fdr=round(mean["gi_star_fdr"][1], 3),
            gi_star_fdr_area_share_pct=round(100 * mean["gi_star_fdr"][2], 3),
        ),
        "hotspots_planted_cluster_hot_last_step_pct": metric(
            100 * float(hot_last[live].mean()),
            "%",
            100 * naive_recall,
            "top-count cells, as many as Gi* flags",
        ),
        "hotspots_emerging_new_as_new_pct": metric(recall("new", {str(Pattern.NEW_HOT)}), "%"),
        "hotspots_emerging_intensifying_as_intensifying_pct": metric(
            recall("intensifying", {str(Pattern.INTENSIFYING_HOT)}),
            "%",
            any_hot_pattern_pct=round(recall("intensifying", hot_words), 3),
        ),
        "hotspots_emerging_persistent_as_hot_pct": metric(
            recall("persistent", hot_words),
            "%",
            persistent_or_diminishing_pct=round(
                recall(
                    "persistent",
                    {
                        str(Pattern.PERSISTENT_HOT),
                        str(Pattern.DIMINISHING_HOT),
                        str(Pattern.INTENSIFYING_HOT),
                    },
                ),
                3,
            ),
        ),
        "hotspots_backtest_s": metric(backtest_s, "s"),
    }
    write_results(
        "hotspots", metrics,
        incidents_per_month=per_month, months=months, planted_clusters=clusters, places_incidents=places_n,
        resolution=RESOLUTION, towns=towns.source, place_flags=places["counts"],
        patterns_by_planted_kind=by_kind,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-month", type=int, default=150_000)
    parser.add_argument("--months", type=int, default=6)
    parser.add_argument("--clusters", type=int, default=300)
    parser.add_argument("--places", type=int, default=1_000_000)
    parser.add_argument("--esda-limit", type=int, default=100_000)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    if is_smoke():
        run(per_month=8_000, months=3, clusters=30, places_n=50_000, esda_limit=5_000)
    else:
        run(args.per_month, args.months, args.clusters, args.places, args.esda_limit)


if __name__ == "__main__":
    main()
