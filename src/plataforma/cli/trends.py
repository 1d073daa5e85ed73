"""``plataforma trends``: alarms on an incidents file, CompStat, SESNSP's official statistics.

All three work on files, with no database: `detect` is DESIGN §5's file mode, `compstat` the
weekly comparison table, `import-sesnsp` loads the official monthly counts as a Parquet
extract and, with `--alerts`, runs the same alarms on them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from plataforma.cli.common import console, open_platform, out
from plataforma.cli.hotspots import make_command as hotspots_command
from plataforma.model.codes import CodeError
from plataforma.trends.alarms import (
    DEFAULT_FDR,
    DEFAULT_METHODS,
    AlarmConfig,
    Method,
    first_alarms,
    score_all,
)
from plataforma.trends.catalogue import CatalogueMap, load_catalogue_map
from plataforma.trends.compstat import compstat, write_compstat
from plataforma.trends.detect import DetectSummary, detect_file, sidecar
from plataforma.trends.extract import write_parquet
from plataforma.trends.incidents import TrendsInputError, read_incidents
from plataforma.trends.outputs import write_alerts, write_set_aside
from plataforma.trends.periods import Period
from plataforma.trends.points import IncidentPoints
from plataforma.trends.population import PopulationError, read_population
from plataforma.trends.reconcile import reconcile_counts
from plataforma.trends.series import AreaLevel, CrimeLevel, count_incidents
from plataforma.trends.sesnsp import read_sesnsp

app = typer.Typer(
    help="Crime trends: alarms, CompStat and official statistics, from files.",
    no_args_is_help=True,
)

InputFile = Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV file")]
CatalogueOption = Annotated[
    Path | None,
    typer.Option(
        "--catalogue-map",
        exists=True,
        dir_okay=False,
        help="CSV (label, code, note) extending the 2026-catalogue map",
    ),
]


def _methods(names: list[str] | None) -> tuple[Method, ...]:
    if not names:
        return DEFAULT_METHODS
    try:
        return tuple(Method(n.strip()) for name in names for n in name.split(","))
    except ValueError:
        choices = ", ".join(m.value for m in Method)
        console.print(f"[red]--method: choose among {choices}[/red]")
        raise typer.Exit(2) from None


def _catalogue(path: Path | None) -> CatalogueMap:
    try:
        return load_catalogue_map(path)
    except (CodeError, OSError, UnicodeError) as error:
        console.print(f"[red]--catalogue-map: {error}[/red]")
        raise typer.Exit(2) from None


def _report(summary: DetectSummary, out_path: Path) -> None:
    out.print(
        f"{summary.incidents:,} incidents in {summary.series:,} series × {summary.periods} "
        f"periods: {len(summary.alarms):,} alarms written to {out_path}"
    )
    if summary.rejects_file:
        out.print(f"{summary.rejected:,} rows rejected: see {summary.rejects_file}")
    if summary.flags_file:
        out.print(f"{summary.flagged:,} rows counted with a caveat: see {summary.flags_file}")
    for reason, count in sorted(summary.reasons.items()):
        out.print(f"  {count:,} {reason}")
    for label, count in summary.mapped.items():
        out.print(
            f"  {count:,} rows of 2026-catalogue label {label!r} counted as their 2015 subtipo"
        )


@app.command("detect")
def detect(
    incidents: InputFile,
    out_file: Annotated[Path, typer.Option("--out", help="ALERTS.csv to write")],
    period: Annotated[Period, typer.Option(help="month, week or day")] = Period.MONTH,
    method: Annotated[
        list[str] | None,
        typer.Option(help="methods in order of precedence (repeat or comma-separate)"),
    ] = None,
    fdr: Annotated[
        float,
        typer.Option(min=0.0, max=1.0, help="false discovery rate across series; 0 turns it off"),
    ] = DEFAULT_FDR,
    explain: Annotated[bool, typer.Option(help="add upper, pvalue, qvalue and reason")] = False,
    catalogue_map: CatalogueOption = None,
) -> None:
    """Alarms on INCIDENTS (no database): fired alarms by municipality and state to --out."""
    config = AlarmConfig(methods=_methods(method), fdr=fdr or None)
    try:
        summary = detect_file(
            incidents,
            out_file,
            period=period,
            config=config,
            catalogue=_catalogue(catalogue_map),
            explain=explain,
        )
    except TrendsInputError as error:
        console.print(f"[red]{incidents.name}: {error}[/red]")
        raise typer.Exit(2) from None
    _report(summary, out_file)


@app.command("compstat")
def compstat_command(
    incidents: InputFile,
    out_file: Annotated[Path, typer.Option("--out", help="COMPSTAT.csv to write")],
    date: Annotated[
        str | None, typer.Option(help="report date YYYY-MM-DD (default: latest incident)")
    ] = None,
    level: Annotated[
        list[AreaLevel] | None, typer.Option(help="jurisdiction levels (default: all)")
    ] = None,
    catalogue_map: CatalogueOption = None,
) -> None:
    """Week to date, 28 days and year to date against last year, with an exact Poisson test."""
    try:
        end = dt.date.fromisoformat(date) if date else None
    except ValueError:
        console.print(f"[red]--date: not a date (YYYY-MM-DD): {date!r}[/red]")
        raise typer.Exit(2) from None
    try:
        table = read_incidents(incidents, period=Period.DAY, catalogue=_catalogue(catalogue_map))
    except TrendsInputError as error:
        console.print(f"[red]{incidents.name}: {error}[/red]")
        raise typer.Exit(2) from None
    if len(table) == 0:
        console.print("[yellow]no incidents could be counted[/yellow]")
    end = end or (table.day.max().item() if len(table) else dt.date.today())
    cube = count_incidents(
        table,
        Period.DAY,
        area_levels=tuple(level or AreaLevel),
        crime_levels=tuple(CrimeLevel),
    )
    written = write_compstat(out_file, compstat(cube, end))
    rejects = write_set_aside(sidecar(out_file, "rejects"), table.rejected, table.columns)
    out.print(f"CompStat to {end.isoformat()}: {written:,} rows written to {out_file}")
    if rejects:
        out.print(f"{len(table.rejected):,} rows rejected: see {rejects}")


@app.command("import-sesnsp")
def import_sesnsp(
    source: InputFile,
    out_dir: Annotated[Path, typer.Option("--out", help="directory for counts.parquet")],
    population: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False, help="CONAPO population (CVE + year columns)"),
    ] = None,
    alerts: Annotated[
        Path | None, typer.Option(help="also run the alarms and write them here")
    ] = None,
    fdr: Annotated[float, typer.Option(min=0.0, max=1.0)] = DEFAULT_FDR,
    encoding: Annotated[str | None, typer.Option(help="default: detected")] = None,
    catalogue_map: CatalogueOption = None,
) -> None:
    """SESNSP's monthly counts (state or municipal file) to a Parquet extract, with rates."""
    try:
        official = read_sesnsp(source, catalogue=_catalogue(catalogue_map), encoding=encoding)
        people = read_population(population) if population else None
    except (TrendsInputError, PopulationError) as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from None
    cube = official.cube
    target = out_dir / "counts.parquet"
    rows = write_parquet(cube, target, people)
    starts = cube.starts()
    span = f"{starts[0]:%Y-%m} to {starts[-1]:%Y-%m}" if starts else "no months"
    kind = "municipal" if official.municipal else "state"
    out.print(
        f"{official.rows:,} {kind} rows: {len(cube):,} series, {span}; {rows:,} rows to {target}"
    )
    rejects = write_set_aside(
        out_dir / "counts.rejects.csv",
        official.rejected,
        sorted({k for r in official.rejected for k in r.original}),
    )
    if rejects:
        out.print(f"{len(official.rejected):,} rows rejected: see {rejects}")
    if alerts is not None:
        config = AlarmConfig(fdr=fdr or None)
        subtipo = cube.select(cube.crime_level == CrimeLevel.SUBTIPO.value)
        fired = first_alarms(subtipo, score_all(subtipo, config), config.methods)
        write_alerts(alerts, fired, explain=True)
        out.print(f"{len(fired):,} alarms written to {alerts}")


def _hotspot_points(source: Path, out_path: Path) -> IncidentPoints:
    """The incidents file through its one reader; rows set aside go beside OUT."""
    table = read_incidents(source)
    write_set_aside(sidecar(out_path, "rejects"), table.rejected, table.columns)
    if table.rejected:
        console.print(f"{len(table.rejected)} rows set aside: {sidecar(out_path, 'rejects')}")
    return IncidentPoints.from_table(table)


app.command("hotspots")(hotspots_command(_hotspot_points))


@app.command("reconcile")
def reconcile(
    repair: Annotated[
        bool, typer.Option(help="Rewrite the live counts from the recount when they differ.")
    ] = False,
) -> None:
    """Check the live trend counts against a full recount of the store's incidents."""
    platform = open_platform()
    try:
        report = reconcile_counts(platform.engine, repair=repair)
    finally:
        platform.close()
    out.print(
        f"incidents: {report.incidents}  counted: {report.counted}  "
        f"count rows: {report.rows}  differences: {report.differences}"
    )
    for key, live, expected in report.examples:
        out.print(f"  {'/'.join(key)}: live {live}, recount {expected}")
    if report.repaired:
        out.print("repaired: the live counts now equal the recount")
    elif not report.equal:
        raise typer.Exit(1)
