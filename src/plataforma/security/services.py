"""What services need from the running platform, as an interface the domain owns.

:class:`plataforma.context.Platform` (the composition root) builds these objects and passes
itself wherever a :class:`PlatformServices` is wanted. Depending on this protocol instead of
on ``Platform`` keeps the package graph acyclic: ``context`` imports ``security`` and
``records`` to build the platform, and neither imports ``context`` back.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import Engine

from plataforma.realtime.bus import Bus
from plataforma.security.audit import AuditEvent, AuditLog
from plataforma.security.key_cache import ApiKeyCache
from plataforma.settings import Settings
from plataforma.store.batcher import WriteBatcher


class PlatformServices(Protocol):
    settings: Settings
    engine: Engine
    audit: AuditLog
    api_keys: ApiKeyCache
    #: Group commit for API writes, where the store's dialect uses it (SQLite).
    batcher: WriteBatcher[AuditEvent] | None
    #: The bus for real-time events and signals; None when nothing real-time runs.
    bus: Bus | None
