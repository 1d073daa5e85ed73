"""``plataforma audit verify|search``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from plataforma.cli.common import console, open_platform, out
from plataforma.security.audit import AuditAction
from plataforma.security.audit_search import audited_search
from plataforma.security.audit_verify import AuditQuery, verify_chain
from plataforma.security.principal import LOCAL_ADMIN

app = typer.Typer(help="Verify and search the hash-chained audit log.", no_args_is_help=True)


@app.command("verify")
def verify() -> None:
    """Recompute the chain; exit 1 if any row was edited or deleted, or the log truncated."""
    platform = open_platform()
    try:
        platform.audit.sync()
        refusal = platform.audit.refusal
        with platform.engine.connect() as conn:
            report = verify_chain(conn, platform.settings.checkpoint_path)
    finally:
        platform.close()
    if report.ok and refusal is None:
        out.print(
            f"audit chain intact: {report.checked} events verified against "
            f"{report.checkpoints} checkpointed heads"
        )
        return
    if refusal is not None:
        console.print(f"[red]{refusal}[/red]")
    for problem in report.problems:
        console.print(f"[red]{problem}[/red]")
    raise typer.Exit(1)


@app.command("search")
def search(
    actor: Annotated[str | None, typer.Option(help="Who acted")] = None,
    record_id: Annotated[str | None, typer.Option("--record", help="Which record")] = None,
    action: Annotated[AuditAction | None, typer.Option(help="What was done")] = None,
    since: Annotated[datetime | None, typer.Option(help="From this time")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10000)] = 50,
) -> None:
    """Who did what to which record, when, from where and why; newest first."""
    platform = open_platform()
    try:
        query = AuditQuery(
            actor=actor, record_id=record_id, action=action, since=since, limit=limit
        )
        rows = audited_search(platform, LOCAL_ADMIN, query)
    finally:
        platform.close()
    table = Table("seq", "at", "actor", "agency", "action", "outcome", "record", "purpose")
    for row in rows:
        table.add_row(
            str(row["chain_seq"]),
            str(row["at"])[:19],
            row["actor"],
            row["agency"],
            row["action"],
            row["outcome"],
            row["record_id"] or "",
            row["purpose"] or "",
        )
    out.print(table)
