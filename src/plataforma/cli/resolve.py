"""``plataforma resolve persons IN.csv --out OUT.csv``: entity resolution of a file, and
``plataforma resolve store``: the whole store resolved again.

No database: the file is read, blocked, compared, trained on (unless ``--model`` is given),
scored and clustered in memory. Progress goes to stderr; a bad file is a one-line error
naming the problem and exit status 2. ``--engine splink`` runs the same decisions on Splink
over DuckDB, ``--engine spark`` on Splink over Spark (``PLATAFORMA_SPARK_MASTER``).
"""

from __future__ import annotations

import json
import math
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from plataforma.cli.common import console, open_platform
from plataforma.resolve import ClusterSettings, MatchModel, Resolver, ResolveSettings
from plataforma.resolve.files import (
    InputError,
    read_mentions,
    review_pairs,
    write_resolution,
    write_review,
)
from plataforma.resolve.spark_session import EngineUnavailable

app = typer.Typer(help="Entity resolution: which records are the same person.")


class Engine(StrEnum):
    BUILTIN = "builtin"
    SPLINK = "splink"  # Splink 5 on DuckDB
    SPARK = "spark"  # Splink 5 on Spark


def _resolver(engine: Engine, model: MatchModel | None, settings: ResolveSettings) -> Any:
    if engine is Engine.BUILTIN:
        return Resolver(model, settings)
    from plataforma.resolve.splink_engine import SplinkEngine, SplinkResolver
    from plataforma.settings import get_settings

    kind = SplinkEngine.SPARK if engine is Engine.SPARK else SplinkEngine.DUCKDB
    config = get_settings()
    scratch = config.data_dir if config.data_dir.is_dir() else None  # else the system's temp
    return SplinkResolver(kind, model, settings, config.spark_master, scratch)


def _link_weight(threshold: float) -> float:
    """The match weight (log2 odds) of a link probability."""
    return math.log2(threshold / (1 - threshold))


def _load_model(path: Path | None) -> MatchModel | None:
    if path is None:
        return None
    try:
        return MatchModel.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(f"--model {path}: not a resolve model ({error})") from None


@app.command("persons")
def persons(
    infile: Annotated[Path, typer.Argument(help="CSV with DESIGN §5's person columns.")],
    out: Annotated[
        Path, typer.Option("--out", help="Where to write record_id, person_id, match_score.")
    ],
    threshold: Annotated[
        float,
        typer.Option(min=0.5, max=0.999999, help="Link probability at which records merge."),
    ] = 0.9,
    model: Annotated[
        Path | None, typer.Option(help="A trained model (JSON) to use instead of training.")
    ] = None,
    save_model: Annotated[
        Path | None, typer.Option(help="Write the model used (trained or given) as JSON.")
    ] = None,
    engine: Annotated[Engine, typer.Option(help="Resolution engine.")] = Engine.BUILTIN,
    review: Annotated[
        Path | None,
        typer.Option(
            help="Also write the pairs to review (uncertain, or refused by the checks) with"
            " each field's weight."
        ),
    ] = None,
) -> None:
    """Resolve the persons of IN.csv: every row gets the person_id of its cluster."""
    started = time.perf_counter()
    try:
        given_model = _load_model(model)
        with console.status("reading") as status:
            mentions = read_mentions(infile)
            settings = ResolveSettings(
                clustering=ClusterSettings(link_weight=_link_weight(threshold))
            )

            def progress(stage: str, done: int, total: int) -> None:
                status.update(f"{stage} ({len(mentions):,} records)")

            resolver = _resolver(engine, given_model, settings)
            resolution = resolver.resolve(mentions, progress=progress)
            write_resolution(out, resolution)
            if review is not None:
                write_review(review, review_pairs(resolution, settings.clustering.link_weight))
            if save_model is not None:
                resolution.model.save(save_model)
    except (InputError, EngineUnavailable) as error:
        console.print(f"[red]cannot resolve:[/red] {error}")
        raise typer.Exit(2) from None
    except OSError as error:
        console.print(f"[red]cannot write:[/red] {error.filename}: {error.strerror}")
        raise typer.Exit(2) from None
    elapsed = time.perf_counter() - started
    persons_found = len(set(resolution.person_ids))
    problems = sum(1 for m in mentions if m.problems)
    console.print(
        f"{len(mentions):,} records → {persons_found:,} persons in {elapsed:.1f} s"
        f" ({len(mentions) / max(elapsed, 1e-9):,.0f} records/s);"
        f" {problems:,} records with unusable fields (kept as weak evidence)"
    )


@app.command("store")
def store(
    train: Annotated[
        bool, typer.Option("--train", help="Train the model on the store's own records first.")
    ] = False,
    model: Annotated[
        Path | None,
        typer.Option(help="A trained model (JSON) instead of the configured resolve_model."),
    ] = None,
    save_model: Annotated[
        Path | None,
        typer.Option(
            help="Where to write the model used (default with --train: resolve-model.json"
            " in the data directory, or the configured resolve_model file)."
        ),
    ] = None,
) -> None:
    """Resolve every person-bearing record in the store again and rewrite the links.

    Analysts' judgements are respected ("not the same" is never overridden, "same" is kept);
    records changed since they were linked are linked again. Progress goes to stderr.
    """
    from plataforma.resolve.store_batch import model_version_of, resolve_store

    try:
        given = _load_model(model)
    except InputError as error:
        console.print(f"[red]cannot resolve:[/red] {error}")
        raise typer.Exit(2) from None
    platform = open_platform()
    settings = platform.settings
    target = save_model
    if train and target is None:
        target = settings.resolve_model or settings.data_dir / "resolve-model.json"
    try:
        with console.status("reading the store") as status:

            def progress(stage: str, done: int, total: int) -> None:
                of = f" of {total:,}" if total else ""
                status.update(f"{stage}: {done:,}{of}")

            outcome = resolve_store(
                platform.engine,
                settings,
                train=train,
                model=given,
                model_version=model_version_of(model) if model is not None else None,
                save_model=target,
                progress=progress,
            )
    except OSError as error:
        console.print(f"[red]cannot write:[/red] {error.filename}: {error.strerror}")
        raise typer.Exit(2) from None
    finally:
        platform.close()
    total = outcome.seconds.get("total", 0.0)
    console.print(
        f"{outcome.records:,} records, {outcome.mentions:,} mentions → {outcome.persons:,}"
        f" persons in {total:.1f} s ({outcome.mentions / max(total, 1e-9):,.0f} mentions/s);"
        f" links rewritten {outcome.rewritten:,} (moved {outcome.moved:,}, content changed"
        f" {outcome.content_changed:,}, new {outcome.new:,}), deleted {outcome.deleted:,};"
        f" {outcome.reviews_queued:,} pairs queued for review; model {outcome.model_version}"
    )
    if target is not None and settings.resolve_model != target:
        console.print(
            f"model saved to {target}: set PLATAFORMA_RESOLVE_MODEL={target} so the consumer"
            " links new records with it"
        )
