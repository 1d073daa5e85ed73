"""The running platform: settings, database engine and audit log, opened once per process."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import Connection, Engine

from plataforma.security.audit import AuditLog
from plataforma.settings import Settings, get_settings
from plataforma.store.engine import begin_write, make_engine, migrate
from plataforma.store.group_commit import GroupCommitter

T = TypeVar("T")


@dataclass
class Platform:
    settings: Settings
    engine: Engine
    audit: AuditLog
    committer: GroupCommitter | None = field(default=None)

    def __post_init__(self) -> None:
        # PostgreSQL groups concurrent commits itself; SQLite needs us to do it.
        if (
            self.committer is None
            and self.settings.group_commit
            and self.engine.dialect.name == "sqlite"
        ):
            self.committer = GroupCommitter(self.engine)

    def in_transaction(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in a transaction and return once it is durably committed."""
        if self.committer is not None:
            return self.committer.run(work)
        with begin_write(self.engine) as conn:
            return work(conn)

    @classmethod
    def open(cls, settings: Settings | None = None) -> Platform:
        """Connect, create or migrate the schema, and start nothing in the background."""
        settings = settings or get_settings()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.resolved_database_url, settings.db_pool_size)
        migrate(engine)
        return cls(settings, engine, AuditLog(engine, settings.checkpoint_path))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.audit.stop()
        self.engine.dispose()
