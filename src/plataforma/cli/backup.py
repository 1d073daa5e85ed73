"""``plataforma backup DEST`` and ``plataforma restore SRC``: a live store, saved and put back.

Both act as the local administrator and leave an ``admin`` audit event: the backup's own
event is inside the backup (it is written before the snapshot), the restore's is the first
event of the restored store after the restored chain. The work is in
:mod:`plataforma.store.backup`; this module orders it around the audit log.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from sqlalchemy import text

from plataforma.cli.common import console, local_principal, open_platform, out
from plataforma.context import Platform
from plataforma.security.audit import AuditAction, AuditEvent, Outcome, append
from plataforma.security.audit_verify import verify_chain
from plataforma.security.policy import Purpose
from plataforma.settings import Settings, get_settings
from plataforma.store.backup import (
    BackupError,
    Manifest,
    restore_files,
    snapshot_counts,
    take_backup,
)
from plataforma.store.engine import begin_write, make_engine

log = logging.getLogger(__name__)


def _audit(platform: Platform, operation: str, outcome: Outcome, **detail: Any) -> None:
    event = AuditEvent.of(
        local_principal(),
        AuditAction.ADMIN,
        outcome,
        purpose=Purpose.ADMINISTRATION,
        detail={"operation": operation, **detail},
    )
    with begin_write(platform.engine) as conn:
        append(conn, [event])


def backup_store(platform: Platform, dest: Path) -> Manifest:
    """Chain the audit log, record the backup, then save checkpoint and database.

    Safe while servers write: nothing here stops them (see :mod:`plataforma.store.backup`).
    """
    _audit(platform, "store.backup", Outcome.OK, dest=str(dest))
    platform.audit.sync()  # the snapshot's chain then reaches (almost) its last event
    codes = platform.settings.data_dir / "codes"
    return take_backup(platform.engine, platform.settings.checkpoint_path, dest, codes)


def backup(
    dest: Annotated[Path, typer.Argument(help="New directory for the backup")],
) -> None:
    """Back up the store (database, audit checkpoint, code tables) while it keeps running."""
    platform = open_platform()
    try:
        manifest = backup_store(platform, dest)
    except BackupError as error:
        log.error("backup to %s failed: %s", dest, error)
        _audit(platform, "store.backup", Outcome.FAILED, dest=str(dest), reason=str(error))
        console.print(f"[red]backup failed:[/red] {error}")
        raise typer.Exit(1) from None
    finally:
        platform.close()
    out.print(_manifest_table(f"backup {dest}", manifest))


def restore(
    src: Annotated[Path, typer.Argument(help="A directory made by `plataforma backup`")],
) -> None:
    """Restore a backup into the configured, empty store; then verify its audit chain.

    Stop the servers first. Exit 1 when the backup is damaged, the target holds data, the
    restored counts differ from the manifest, or the audit chain does not verify.
    """
    try:
        manifest, problems = restore_store(get_settings(), src)
    except BackupError as error:
        console.print(f"[red]restore refused:[/red] {error}")
        raise typer.Exit(1) from None
    out.print(_manifest_table(f"restored {src}", manifest))
    if problems:
        for problem in problems:
            console.print(f"[red]{problem}[/red]")
        raise typer.Exit(1)
    out.print("counts match the manifest; audit chain verified against the restored checkpoint")


def restore_store(settings: Settings, src: Path) -> tuple[Manifest, list[str]]:
    """Put backup ``src`` in place of the empty store ``settings`` name, then check it.

    The check opens the restored store (migrating a backup of an older schema), compares
    its counts with the manifest and verifies the audit chain against the restored
    checkpoint, before anything new is written; the restore's own audit event comes last.
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url, 1)
    try:
        manifest = restore_files(src, engine, settings.checkpoint_path, settings.data_dir / "codes")
    finally:
        engine.dispose()
    platform = Platform.open(settings)
    try:
        with platform.engine.connect() as conn:
            counts, by_type = snapshot_counts(conn)
            report = verify_chain(conn, settings.checkpoint_path)
        problems = list(report.problems)
        # A migration may reshape tables (a new revision); records and events it keeps.
        same_schema = manifest.revision == counts_revision(platform)
        expected = {**manifest.records_by_type, "audit_log": manifest.counts.get("audit_log", 0)}
        if same_schema:
            expected.update(manifest.counts)
        found = {**counts, **by_type}
        for name, count in sorted(expected.items()):
            if found.get(name, 0) != count:
                problems.append(f"{name}: {found.get(name, 0)} restored, the backup holds {count}")
        outcome = Outcome.FAILED if problems else Outcome.OK
        _audit(platform, "store.restore", outcome, source=str(src), problems=problems[:5])
    finally:
        platform.close()
    return manifest, problems


def counts_revision(platform: Platform) -> str | None:
    with platform.engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _manifest_table(title: str, manifest: Manifest) -> Table:
    table = Table(title=title)
    table.add_column("what")
    table.add_column("value", overflow="fold")
    table.add_row("engine", manifest.dialect)
    table.add_row("taken", f"{manifest.started_at} → {manifest.finished_at}")
    table.add_row("schema revision", manifest.revision or "")
    head = manifest.chain_head
    table.add_row("audit chain head", f"{head[0]} {head[1][:16]}…" if head else "none")
    for name, count in sorted(manifest.records_by_type.items()):
        table.add_row(f"{name} records", f"{count:,}")
    table.add_row("audit events", f"{manifest.counts.get('audit_log', 0):,}")
    return table
