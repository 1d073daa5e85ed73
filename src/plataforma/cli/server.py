"""``plataforma serve`` and ``plataforma demo``: the web server, bare or with a demo country.

``serve`` runs uvicorn on the app factory with the configured store and bus. ``demo`` switches
to demo mode, loads a synthetic national dataset into the data dir (reusing one already there),
creates one account per role, prints the URL and the accounts, and serves. In demo mode the
second factor also accepts the documented code ``000000``; production mode refuses the demo.
"""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from plataforma.cli.common import console, out
from plataforma.cli.demo_setup import (
    DEMO_TOTP_CODE,
    DemoInfo,
    DemoRefused,
    demo_settings,
    prepare_demo,
)
from plataforma.context import Platform
from plataforma.settings import get_settings
from plataforma.synth import expected_records
from plataforma.web.app import create_app


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Server processes; on PostgreSQL, one per core (the embedded store: 1)",
        ),
    ] = 1,
) -> None:
    """Run the server on the configured database and bus."""
    settings = get_settings()
    if workers > 1 and not settings.database_url:
        # Each process would merge its own writes; SQLite's one writer gains nothing.
        console.print("[yellow]several workers help on PostgreSQL only; serving with 1[/]")
        workers = 1
    uvicorn.run(
        "plataforma.web.app:create_app", factory=True, host=host, port=port, workers=workers
    )


def demo(
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port")] = 8000,
    scale: Annotated[
        int, typer.Option(min=1, max=10_000_000, help="Synthetic incidents to load")
    ] = 100_000,
    seed: Annotated[int, typer.Option(help="Seed of the synthetic dataset")] = 7,
) -> None:
    """Load a synthetic national dataset, create demo accounts and serve (never in production)."""
    try:
        settings = demo_settings(get_settings())
    except DemoRefused as refusal:
        console.print(f"[red]demo refused:[/] {refusal}")
        raise typer.Exit(2) from None
    platform = Platform.open(settings)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,} records"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        task = progress.add_task("preparing demo data", total=expected_records(scale))
        done: dict[str, int] = {}

        def on_progress(record_type: str, rows_read: int) -> None:
            done[record_type] = rows_read
            progress.update(
                task, completed=sum(done.values()), description=f"loading {record_type}"
            )

        info = prepare_demo(platform, scale, seed, on_progress)
        progress.update(task, total=info.records, completed=info.records)
    url = f"http://127.0.0.1:{port}/ui/"
    _print_accounts(info, url, settings.data_dir.resolve())
    uvicorn.run(create_app(platform), host="127.0.0.1", port=port)


def _print_accounts(info: DemoInfo, url: str, data_dir: object) -> None:
    state = "reused" if info.reused else "loaded"
    out.print(f"[bold]{info.records:,} records {state}[/] in {data_dir}")
    table = Table(title="Demo accounts (synthetic data only)")
    for column in ("username", "role", "agency"):
        table.add_column(column, no_wrap=True)
    for account in info.accounts:
        table.add_row(account.username, account.role, account.agency)
    out.print(table)
    # Secrets on plain lines: a narrow terminal must not truncate them.
    out.print("TOTP secrets (for an authenticator app):")
    for account in info.accounts:
        out.print(f"  {account.username}: {account.totp_secret}", soft_wrap=True)
    out.print(
        f"Password for every account: [bold]{info.password}[/]. Second factor: the TOTP code "
        f"from the secret, or [bold]{DEMO_TOTP_CODE}[/] (accepted in demo mode only)."
    )
    out.print(f"Open [bold link={url}]{url}[/]")
