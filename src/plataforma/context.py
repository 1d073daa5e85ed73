"""The running platform: settings, database engine and audit log, opened once per process.

This is the composition root: it imports the packages it wires together, and they receive
it as a :class:`~plataforma.security.services.PlatformServices` without importing it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from sqlalchemy import Engine

from plataforma.consumers import default_consumers, periodic_jobs
from plataforma.realtime.bus import Bus, Handler
from plataforma.realtime.runtime import BoundJob, RealtimeRuntime
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
    #: The bus, relay, consumers and jobs, while started (:meth:`start_realtime`).
    realtime: RealtimeRuntime | None = field(default=None)
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

    def start_realtime(
        self, consumers: Sequence[tuple[str, Handler]] = (), *, wake_on_commit: bool = True
    ) -> RealtimeRuntime:
        """Start the bus (``PLATAFORMA_BUS_URL``) with the server's consumers and ``consumers``,
        the outbox relay and the periodic jobs; :meth:`stop_realtime` (or close) stops them."""
        if self.realtime is not None:
            return self.realtime
        jobs: list[BoundJob] = [
            (name, seconds, partial(run, self)) for name, seconds, run in periodic_jobs()
        ]
        runtime = RealtimeRuntime(
            self.settings,
            self.engine,
            [*default_consumers(self), *consumers],
            jobs,
            wake_on_commit=wake_on_commit,
        )
        self.bus = runtime.bus
        runtime.start()
        self.realtime = runtime
        return runtime

    def stop_realtime(self) -> None:
        if self.realtime is not None:
            self.realtime.stop()
            self.realtime = None
        self.bus = None

    def close(self) -> None:
        self.stop_realtime()
        self.audit.stop()
        self.engine.dispose()
