"""``plataforma codes``: install official catalogues (INEGI municipalities) into the data dir.

The package ships the major cities only; users load INEGI's full catalogue (or another
country's) at run time, so no official file is committed with the code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from plataforma.cli.common import console, open_platform, out
from plataforma.model.codes import (
    CodeError,
    all_crime_types,
    all_municipalities,
    all_states,
    install_catalogue,
    load_catalogue,
)
from plataforma.security.audit import AuditAction, AuditEvent
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.settings import get_settings

app = typer.Typer(
    help="Code tables: install official catalogues, show what is loaded.", no_args_is_help=True
)


@app.command("install-municipalities")
def install_municipalities(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="INEGI AGEEML CSV, or names + centroids files", exists=True, dir_okay=False
        ),
    ],
) -> None:
    """Merge FILES by 5-digit code and install them as the municipal catalogue."""
    settings = get_settings()
    try:
        munis = load_catalogue(files[0], *files[1:])
    except (CodeError, ValueError, UnicodeError) as error:
        console.print(f"[red]could not read the catalogue: {error}[/red]")
        raise typer.Exit(2) from None
    if not munis:
        console.print("[red]no municipalities found in the given files[/red]")
        raise typer.Exit(2)
    path = install_catalogue(munis, settings.data_dir)
    platform = open_platform()
    try:
        platform.audit.record(
            AuditEvent.of(
                LOCAL_ADMIN,
                AuditAction.ADMIN,
                detail={"installed": "municipalities", "count": len(munis)},
            )
        )
    finally:
        platform.close()
    located = sum(1 for m in munis if m.lat is not None)
    out.print(f"installed {len(munis):,} municipalities ({located:,} with centroids) at {path}")


@app.command("show")
def show() -> None:
    """How many states, municipalities and crime types are in force."""
    table = Table("table", "rows")
    table.add_row("states", str(len(all_states())))
    table.add_row("municipalities", str(len(all_municipalities())))
    table.add_row("crime types", str(len(all_crime_types())))
    out.print(table)
