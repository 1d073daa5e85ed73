"""``plataforma resolve persons IN.csv --out OUT.csv``: entity resolution of a file.

No database: the file is read, blocked, compared, trained on (unless ``--model`` is given),
scored and clustered in memory. Progress goes to stderr; a bad file is a one-line error
naming the problem and exit status 2. ``--engine`` leaves room for a Splink (DuckDB/Spark)
engine on the same contract; today only the built-in engine exists.
"""

from __future__ import annotations

import json
import math
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from plataforma.cli.common import console
from plataforma.resolve import ClusterSettings, MatchModel, Resolver, ResolveSettings
from plataforma.resolve.files import (
    InputError,
    read_mentions,
    review_pairs,
    write_resolution,
    write_review,
)

app = typer.Typer(help="Entity resolution: which records are the same person.")


class Engine(StrEnum):
    BUILTIN = "builtin"


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

            resolution = Resolver(given_model, settings).resolve(mentions, progress=progress)
            write_resolution(out, resolution)
            if review is not None:
                write_review(review, review_pairs(resolution, settings.clustering.link_weight))
            if save_model is not None:
                resolution.model.save(save_model)
    except InputError as error:
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
