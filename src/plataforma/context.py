"""The running platform: settings, database engine and audit log, opened once per process."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from plataforma.records.write_batcher import WriteBatcher
from plataforma.security.audit import AuditLog
from plataforma.security.key_cache import ApiKeyCache
from plataforma.settings import Settings, get_settings
from plataforma.store.engine import make_engine, migrate


@dataclass
class Platform:
    settings: Settings
    engine: Engine
    audit: AuditLog
    batcher: WriteBatcher | None = field(default=None)
    api_keys: ApiKeyCache = field(init=False)

    def __post_init__(self) -> None:
        self.api_keys = ApiKeyCache(
            self.settings.revocation_check_seconds, self.settings.api_key_cache_seconds
        )
        # SQLite has one writer and an fsync per commit: merging concurrent writes took API
        # writes from ~500/s to ~700/s. PostgreSQL runs concurrent transactions and groups
        # their commits itself; funnelling a process's writes through one transaction at a
        # time measured slower there (250/s against 430/s with two workers), so it is not used.
        if (
            self.batcher is None
            and self.settings.group_commit
            and self.engine.dialect.name == "sqlite"
        ):
            self.batcher = WriteBatcher(self.engine)

    @classmethod
    def open(cls, settings: Settings | None = None) -> Platform:
        """Connect, create or migrate the schema, and start nothing in the background."""
        settings = settings or get_settings()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.resolved_database_url, settings.db_pool_size)
        migrate(engine)
        audit = AuditLog(
            engine,
            settings.checkpoint_path,
            durable=settings.audit_reads_durable,
            syslog=settings.audit_checkpoint_syslog,
        )
        return cls(settings, engine, audit)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.audit.stop()
        self.engine.dispose()
