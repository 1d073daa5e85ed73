"""Structured logging: one ``key=value`` line per record, one logger per module.

Modules log through ``logging.getLogger(__name__)`` and pass facts as ``extra={...}``; this
module only decides how lines look and is configured once by the entry points (the CLI and
the server). ``key=value`` lines are what journald, syslog collectors and ``grep`` all read
without a parser, and the values are quoted only when they need it.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any

from plataforma.settings import get_settings

# The attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def _value(value: Any) -> str:
    text = str(value)
    if not text or any(c in text for c in ' "=\n\t'):
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    return text


class KeyValueFormatter(logging.Formatter):
    """``time=… level=… logger=… msg="…" key=value …`` (and ``exc=…`` with a traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        at = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        parts = [
            f"time={at}",
            f"level={record.levelname.lower()}",
            f"logger={record.name}",
            f"msg={_value(record.getMessage())}",
        ]
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                parts.append(f"{key}={_value(value)}")
        if record.exc_info:
            parts.append(f"exc={_value(self.formatException(record.exc_info))}")
        return " ".join(parts)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to ``sys.stderr`` as it is when each line is logged, not when configured.

    A handler holding the stream it was built with keeps writing to it after a caller has
    swapped ``sys.stderr`` (a test runner capturing a command, a tool redirecting it) and
    closed the old one: every later line is then a "Logging error" traceback instead.
    """

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        """Ignored: the stream is always the current stderr."""


def configure_logging(level: str | None = None) -> None:
    """Send the ``plataforma`` loggers to stderr as key=value lines (idempotent).

    ``PLATAFORMA_LOG_LEVEL`` (the settings' ``log_level``, default ``INFO``) sets the level.
    Only the package's own logger tree is configured, so uvicorn and libraries keep their own
    handlers.
    """
    root = logging.getLogger("plataforma")
    root.setLevel((level or get_settings().log_level).upper())
    if any(getattr(h, "_plataforma", False) for h in root.handlers):
        return
    handler = _StderrHandler()
    handler.setFormatter(KeyValueFormatter())
    handler._plataforma = True  # type: ignore[attr-defined]
    root.addHandler(handler)
