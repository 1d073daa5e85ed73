"""Trend alarms: detection, delay and false alarms per method, a real backtest, and timing.

    python bench/trends.py [--smoke] [--series 135465]

1. Backtest on SESNSP's real state series 2015–2024 (`../shared/data/mexico`, skipped with a
   note when absent): alarms per year and per method; the largest real surges the default
   detector found, by state, crime and month.
2. Semi-synthetic: an outbreak of 3 × the series' SD over the 12 periods before it (at least
   √mean, rounded up) is added for 2 periods at a random time, into the real series and into
   synthetic seasonal negative-binomial series; detection (an alarm in either period), median
   delay, and false alarms per 100 series-months on the same series without the outbreak
   (on synthetic series these are truly clean; real series have real surges, so that rate is
   an upper bound). Every method runs in the same pass, the naive month-over-month rule and
   the 12-period z-score included.
3. Timing: every method on ≈135k synthetic municipal series (2,463 municipalities × 55
   subtipos, 60 months), scoring the latest month as a monthly run does.
4. The incidents reader: rows per second of the column reader beside the row reader.

Held out: the detector's settings were tuned on synthetic series drawn with TUNING_SEED; the
figures reported here come from HELD_OUT_SEED and from the real series, which were not used
to choose them (both seeds are written into the results).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from _common import is_smoke, metric, write_results

from plataforma.trends.alarms import AlarmConfig, FarringtonConfig, Method, first_alarms, score_all
from plataforma.trends.incidents import COLUMNS, read_incidents
from plataforma.trends.periods import Period
from plataforma.trends.series import SeriesCube
from plataforma.trends.sesnsp import read_sesnsp

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "mexico"
SESNSP = SHARED / "sesnsp_estatal_2015_2024.csv"
METHODS = tuple(Method)
TUNING_SEED = 7
HELD_OUT_SEED = 2024
# Real surges named in docs/trends.md: (state, subtipo, first month of the surge).
NAMED_SURGES = (
    ("25", "homicidio_doloso", "2024-09-01", "Sinaloa: war between cartel factions"),
    ("27", "homicidio_doloso", "2024-03-01", "Tabasco"),
    ("11", "homicidio_doloso", "2018-01-01", "Guanajuato"),
    ("18", "homicidio_doloso", "2017-09-01", "Nayarit"),
    ("03", "homicidio_doloso", "2017-01-01", "Baja California Sur"),
    ("09", "extorsion", "2018-06-01", "Ciudad de México extortion"),
    ("25", "robo_de_vehiculo_automotor", "2023-01-01", "Culiacán, Ovidio Guzmán's arrest"),
)
WATCHED = (
    "homicidio_doloso",
    "feminicidio",
    "secuestro",
    "extorsion",
    "robo_de_vehiculo_automotor",
)


def _cube(counts: np.ndarray, first: int = 0, areas: np.ndarray | None = None) -> SeriesCube:
    n = len(counts)
    level = np.full(n, "state")
    names = areas if areas is not None else np.array([f"{i:05d}" for i in range(n)])
    return SeriesCube(
        Period.MONTH, first, counts.astype(np.float64), level, names, np.full(n, "subtipo"), names
    )


PREVIOUS = FarringtonConfig(alpha=0.02)


def _variants() -> dict[str, AlarmConfig]:
    """Each method alone, per series (no FDR); ours as the default, as it was, and variants."""
    out = {m.value: AlarmConfig(methods=(m,), fdr=None) for m in METHODS}
    out["farrington_default"] = AlarmConfig()
    # The default before issue 10's tuning: per-series screen 0.02, BH q 0.3.
    out["farrington_fdr30"] = AlarmConfig(fdr=0.3, farrington=PREVIOUS)
    # Measured and not kept as default: the current period combined with the 2-period sum.
    two = FarringtonConfig(alpha=0.02, two_period=True)
    out["farrington_two_period"] = AlarmConfig(fdr=0.3, farrington=two)
    out["farrington_fdr05"] = AlarmConfig(fdr=0.05, farrington=PREVIOUS)
    return out


def _fired(cube: SeriesCube, config: AlarmConfig, evaluate_from: int) -> np.ndarray:
    config = AlarmConfig(config.methods, config.fdr, evaluate_from, config.farrington)
    results = score_all(cube, config)
    return np.any([r.fired for r in results.values()], axis=0)


def inject(
    counts: np.ndarray, rng: np.random.Generator, earliest: int, latest: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Counts with a 2-period outbreak per series; (counts, start, size)."""
    n = counts.shape[0]
    start = rng.integers(earliest, latest, n)
    rows = np.arange(n)
    before = np.stack([counts[rows, start - k] for k in range(1, 13)], axis=1)
    size = np.ceil(np.maximum(3 * before.std(axis=1, ddof=1), np.sqrt(before.mean(axis=1))))
    size = np.maximum(size, 1.0)
    out = counts.copy()
    out[rows, start] += size
    out[rows, start + 1] += size
    return out, start, size


def evaluate(
    counts: np.ndarray, rng: np.random.Generator, earliest: int
) -> dict[str, dict[str, float]]:
    """Detection, median delay and false alarms per 100 series-months, per variant."""
    n, periods = counts.shape
    injected, start, _ = inject(counts, rng, earliest, periods - 1)
    clean_cube, dirty_cube = _cube(counts), _cube(injected)
    rows = np.arange(n)
    out: dict[str, dict[str, float]] = {}
    for name, config in _variants().items():
        t0 = time.perf_counter()
        clean = _fired(clean_cube, config, earliest)[:, earliest:]
        dirty = _fired(dirty_cube, config, earliest)
        first, second = dirty[rows, start], dirty[rows, start + 1]
        detected = first | second
        delays = np.where(first, 0, 1)[detected]
        out[name] = {
            "detection_rate": float(detected.mean()),
            "median_delay_periods": float(np.median(delays)) if len(delays) else float("nan"),
            "false_alarms_per_100_series_months": float(100 * clean.mean()),
            "seconds": time.perf_counter() - t0,
        }
        print(
            f"  {name:18s} detection {out[name]['detection_rate']:.3f}  delay {out[name]['median_delay_periods']}  false/100 {out[name]['false_alarms_per_100_series_months']:.2f}",
            flush=True,
        )
    return out


def synthetic_series(
    rng: np.random.Generator, n: int, periods: int, zero_heavy: bool
) -> np.ndarray:
    """Seasonal, trending negative-binomial counts; means log-normal like municipal series."""
    level = np.exp(rng.normal(0.0 if zero_heavy else 2.0, 1.5, (n, 1)))
    phase = rng.uniform(0, 2 * np.pi, (n, 1))
    t = np.arange(periods)
    season = 1 + 0.25 * np.sin(2 * np.pi * t / 12 + phase)
    trend = np.exp(rng.normal(0, 0.05, (n, 1)) * t / 12)
    mean = level * season * trend
    dispersion = 20.0  # NB size: variance = mean + mean²/20, mild overdispersion
    return rng.poisson(rng.gamma(dispersion, mean / dispersion)).astype(np.float64)


def backtest(smoke: bool) -> dict[str, Any]:
    if not SESNSP.is_file():
        return {"skipped": f"reference data absent: {SESNSP}"}
    official = read_sesnsp(SESNSP)
    cube = official.cube
    keep = (cube.area_level == "state") & (cube.crime_level == "subtipo")
    if smoke:
        keep &= np.isin(cube.crime, ["homicidio_doloso", "extorsion"])
    cube = cube.select(keep)
    starts = cube.starts()
    evaluate_from = 24
    per_year: dict[str, dict[str, int]] = {}
    for name, config in _variants().items():
        fired = _fired(cube, config, evaluate_from)
        years = np.array([d.year for d in starts])
        per_year[name] = {
            str(y): int(fired[:, years == y].sum()) for y in sorted(set(years[evaluate_from:]))
        }
    default = AlarmConfig(evaluate_from=evaluate_from)
    alarms = first_alarms(cube, score_all(cube, default), default.methods)
    named = _named_surges(cube, evaluate_from)
    episodes: dict[tuple[str, str], list[Any]] = {}
    for alarm in alarms:
        if alarm.crime_type in WATCHED:
            episodes.setdefault((alarm.area, alarm.crime_type), []).append(alarm)
    surges = []
    for (area, crime), found in episodes.items():
        top = max(found, key=lambda a: a.score)
        surges.append(
            {
                "state": area,
                "crime_type": crime,
                "first_alarm": found[0].period_start.isoformat(),
                "alarms": len(found),
                "peak_month": top.period_start.isoformat(),
                "peak_observed": top.observed,
                "peak_expected": round(top.expected, 1),
                "peak_score": round(top.score, 1),
            }
        )
    surges.sort(key=lambda s: -s["peak_score"])
    series_months = int(len(cube) * (cube.periods - evaluate_from))
    return {
        "series": len(cube),
        "months": f"{starts[evaluate_from]:%Y-%m} to {starts[-1]:%Y-%m}",
        "series_months": series_months,
        "alarms_per_year": per_year,
        "default_alarms": len(alarms),
        "largest_surges": surges[:20],
        "named_surges": named,
        "cube": cube,
    }


def _named_surges(cube: SeriesCube, evaluate_from: int) -> dict[str, Any]:
    """For each named real surge: flagged in its first month (and within 2), per variant."""
    starts = [d.isoformat() for d in cube.starts()]
    out: dict[str, Any] = {"surges": [], "flagged_first_month": {}, "flagged_within_2": {}}
    fired = {n: _fired(cube, c, evaluate_from) for n, c in _variants().items()}
    for state, crime, month, label in NAMED_SURGES:
        try:
            row = cube.find(state, crime)
        except KeyError:
            continue
        col = starts.index(month)
        entry = {"state": state, "crime_type": crime, "month": month, "label": label}
        entry["first_month"] = {n: bool(f[row, col]) for n, f in fired.items()}
        entry["within_2"] = {n: bool(f[row, col : col + 2].any()) for n, f in fired.items()}
        out["surges"].append(entry)
    for name in fired:
        out["flagged_first_month"][name] = sum(e["first_month"][name] for e in out["surges"])
        out["flagged_within_2"][name] = sum(e["within_2"][name] for e in out["surges"])
    out["named"] = len(out["surges"])
    return out


def reader_speed(path: Path, rows: int, row_path_rows: int) -> tuple[float, float]:
    """Rows per second of the column reader (`rows`) and of the row reader (first rows)."""
    rng = np.random.default_rng(5)
    crimes = np.array(["robo_a_negocio", "extorsion", "Robo a negocio", "homicidio_doloso"])
    munis = np.array(["09015", "14039", "19039", "25006", "Guadalajara"])
    days = np.datetime64("2022-01-01") + rng.integers(0, 1000, rows)
    minutes = rng.integers(0, 1440, rows)
    with path.open("w", encoding="utf-8") as handle:
        handle.write(",".join(COLUMNS) + "\n")
        for i in range(rows):
            m = munis[i % 5]
            state = "14" if m == "Guadalajara" else m[:2]
            when = f"{days[i]}T{minutes[i] // 60:02d}:{minutes[i] % 60:02d}:00"
            lat = "" if i % 50 == 0 else f"{19 + rng.random():.5f}"
            handle.write(
                f"R{i},AG{i % 7},{when},{crimes[i % 4]},{state},{m},{lat},-99.{i % 9999:04d}\n"
            )
    small = path.with_suffix(".small.csv")
    with path.open() as src, small.open("w") as dst:
        for _ in range(row_path_rows + 1):
            dst.write(src.readline())
    read_incidents(small, fast=True)  # warm both: code tables and imports load once
    t0 = time.perf_counter()
    fast = read_incidents(path)
    fast_rate = len(fast) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    slow = read_incidents(small, fast=False)
    return fast_rate, len(slow) / (time.perf_counter() - t0)


def timing(n: int, periods: int) -> tuple[float, float]:
    rng = np.random.default_rng(11)
    counts = synthetic_series(rng, n, periods, zero_heavy=True)
    cube = _cube(counts)
    config = AlarmConfig(methods=METHODS, evaluate_from=periods - 1)
    t0 = time.perf_counter()
    results = score_all(cube, config)
    first_alarms(cube, results, METHODS)
    all_methods = time.perf_counter() - t0
    t0 = time.perf_counter()
    score_all(cube, AlarmConfig(methods=(Method.NAIVE_MOM,), fdr=None, evaluate_from=periods - 1))
    return all_methods, time.perf_counter() - t0


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--series", type=int, default=2463 * 55)
    parser.add_argument("--synthetic", type=int, default=4000)
    args = parser.parse_args(argv)
    smoke = is_smoke(argv)
    n_timing = 3000 if smoke else args.series
    n_synth = 300 if smoke else args.synthetic
    rng = np.random.default_rng(HELD_OUT_SEED)
    print("backtest on SESNSP state series", flush=True)
    real = backtest(smoke)
    context: dict[str, Any] = {"real_backtest": {k: v for k, v in real.items() if k != "cube"}}
    semi: dict[str, Any] = {}
    if "cube" in real:
        counts = real["cube"].counts
        active = counts[:, -36:].mean(axis=1) >= 1.0
        print(f"semi-synthetic on {int(active.sum())} real series (mean ≥ 1 a month)", flush=True)
        semi["real"] = evaluate(counts[active], rng, counts.shape[1] - 36)
    print(f"semi-synthetic on {n_synth} synthetic series (+ as many zero-heavy)", flush=True)
    synth = np.concatenate(
        [synthetic_series(rng, n_synth, 96, False), synthetic_series(rng, n_synth, 96, True)]
    )
    synth = synth[synth[:, 48:].mean(axis=1) >= 0.5]
    semi["synthetic"] = evaluate(synth, rng, 60)
    context["semi_synthetic"] = semi
    context["seeds"] = {
        "tuning": TUNING_SEED,
        "held_out": HELD_OUT_SEED,
        "note": "settings chosen on the tuning seed; synthetic figures from the held-out seed",
    }
    reader_rows, row_path_rows = (20_000, 5_000) if smoke else (2_000_000, 100_000)
    print(f"incidents reader on {reader_rows} rows (row reader on {row_path_rows})", flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        fast_rate, row_rate = reader_speed(Path(scratch) / "in.csv", reader_rows, row_path_rows)
    print(f"timing on {n_timing} series", flush=True)
    all_s, naive_s = timing(n_timing, 60)
    ours = semi["synthetic"]["farrington_default"]
    base = semi["synthetic"]["zscore_12"]
    naive = semi["synthetic"]["naive_mom"]
    metrics = {
        "trends_detection_rate": metric(
            ours["detection_rate"], "fraction", base["detection_rate"], "12-month z-score > 3"
        ),
        "trends_median_delay_periods": metric(
            ours["median_delay_periods"],
            "periods",
            base["median_delay_periods"],
            "12-month z-score > 3",
        ),
        "trends_false_alarms_per_100_series_months": metric(
            ours["false_alarms_per_100_series_months"],
            "alarms",
            base["false_alarms_per_100_series_months"],
            "12-month z-score > 3",
        ),
        "trends_alarms_all_series_s": metric(
            all_s, "s", naive_s, "month-over-month rule alone", series=n_timing, months=60
        ),
        "trends_reader_rows_per_s": metric(
            fast_rate,
            "rows/s",
            row_rate,
            "row-by-row reader (fast=False)",
            rows=reader_rows,
            row_path_rows=row_path_rows,
            ratio=round(fast_rate / row_rate, 1),
        ),
        "trends_naive_mom_false_alarms_per_100_series_months": metric(
            naive["false_alarms_per_100_series_months"],
            "alarms",
            None,
            None,
            detection_rate=round(naive["detection_rate"], 3),
        ),
    }
    for dataset, table in semi.items():
        for name in (
            "farrington_default",
            "farrington",
            "farrington_fdr30",
            "farrington_two_period",
            "farrington_fdr05",
            "ears_c2",
        ):
            row = table[name]
            metrics[f"trends_{dataset}_{name}_detection_rate"] = metric(
                row["detection_rate"],
                "fraction",
                table["zscore_12"]["detection_rate"],
                "12-month z-score > 3",
            )
            metrics[f"trends_{dataset}_{name}_false_alarms_per_100_series_months"] = metric(
                row["false_alarms_per_100_series_months"],
                "alarms",
                table["zscore_12"]["false_alarms_per_100_series_months"],
                "12-month z-score > 3",
            )
    write_results("trends", metrics, smoke=smoke, **context)


if __name__ == "__main__":
    main(sys.argv[1:])
