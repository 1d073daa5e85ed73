"""The running platform: settings, database engine and audit log, opened once per process.

This is the composition root: it imports the packages it wires together, and they receive
it as a :class:`~plataforma.security.services.PlatformServices` without importing it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from plataforma.realtime.bus import Bus
from plataforma.security.audit import AuditEvent, AuditLog, append
from plataforma.security.key_cache import ApiKeyCache
from plataforma.settings import Settings, get_settings
from plataforma.store.batcher import WriteBatcher
from plataforma.store.dialect import dialect_for
from plataforma.store.engine import make_engine, migrate


@dataclass
class Platform:
    settings: Settings
    engine: Engine
    audit: AuditLog
    batcher: WriteBatcher[AuditEvent] | None = field(default=None)
    #: The bus (issue 8 wires it from PLATAFORMA_BUS_URL); None: no real-time delivery.
    bus: Bus | None = field(default=None)
    api_keys: ApiKeyCache = field(init=False)

    def __post_init__(self) -> None:
        self.api_keys = ApiKeyCache(
            self.settings.revocation_check_seconds, self.settings.api_key_cache_seconds
        )
        # Merging concurrent API writes into one commit pays on SQLite only (see
        # Dialect.group_commit for the measurements).
        if (
            self.batcher is None
            and self.settings.group_commit
            and dialect_for(self.engine).group_commit
        ):
            self.batcher = WriteBatcher(self.engine, append)

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
        """The engine's name ("sqlite", "postgresql"), for messages and operations tools."""
        return dialect_for(self.engine).name

    def close(self) -> None:
        self.audit.stop()
        self.engine.dispose()
