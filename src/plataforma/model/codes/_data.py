"""Where a code table is read from, and the one cache in front of all of them.

Tables ship inside the package (Mexico). A deployment that needs different or fuller tables,
such as INEGI's complete municipal catalogue or another country's states, installs CSV files
with the same columns into `$PLATAFORMA_DATA_DIR/codes/`; a file there replaces the packaged
one. Lines starting with "#" are comments, so the tables can carry their reasons.
"""

from __future__ import annotations

import csv
import functools
import io
import os
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import TypeVar

__all__ = ["cached", "data_dir", "decode", "read_table", "reset_cache", "table_path"]

T = TypeVar("T")

DATA_DIR_ENV = "PLATAFORMA_DATA_DIR"
DEFAULT_DATA_DIR = "./plataforma-data"

_caches: list[Callable[[], object]] = []


def cached(loader: Callable[[], T]) -> Callable[[], T]:
    """Load a table once per process; `reset_cache` forgets it (tests, catalogue installs)."""
    wrapped = functools.cache(loader)
    _caches.append(wrapped.cache_clear)
    return wrapped


def reset_cache() -> None:
    """Forget every loaded table, so the next lookup rereads the data dir."""
    for clear in _caches:
        clear()


def data_dir() -> Path:
    """The data dir as configured; read directly so code tables work without the app settings."""
    return Path(os.environ.get(DATA_DIR_ENV, DEFAULT_DATA_DIR))


def table_path(name: str) -> Path:
    """Where an installed replacement for the packaged table `name` lives."""
    return data_dir() / "codes" / name


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM) or, failing that, latin-1, which INEGI still publishes."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _uncommented(text: str) -> Iterator[str]:
    return (line for line in io.StringIO(text) if not line.startswith("#"))


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of table `name`: the installed override if there is one, else the packaged file."""
    override = table_path(name)
    if override.is_file():
        text = decode(override.read_bytes())
    else:
        text = resources.files("plataforma.model.codes").joinpath("data", name).read_text("utf-8")
    return list(csv.DictReader(_uncommented(text)))
