"""What every CLI command shares: the console, opening the platform, and the local admin."""

from __future__ import annotations

from rich.console import Console

from plataforma.context import Platform
from plataforma.security.principal import LOCAL_ADMIN, Principal

console = Console(stderr=True)
out = Console()


def open_platform() -> Platform:
    """The platform on the configured store, created or migrated on first use."""
    return Platform.open()


def local_principal() -> Principal:
    """Local CLI commands act as a local administrator and are audited as such."""
    return LOCAL_ADMIN
