"""The outbox's side of real time: knowing, right after a commit, that there are events to send.

Every write stores its outbox events in its own transaction; a relay publishes them after the
commit. Polling the table would put its interval into every notification's latency, so the
write paths say "this transaction wrote outbox rows" (:func:`note_written`) and the relay is
called back once that connection is handed back to the pool (:func:`after_outbox_commit`),
which is after its commit: a commit event would fire before the rows are visible to the relay.
A rolled-back write calls it back too, harmlessly: the relay then finds nothing new.

The table stays the guarantee: rows written by another process (a CLI import) or left by a
broker outage are found by the relay's periodic sweep.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, event

_WRITTEN = "plataforma_outbox_written"
# By engine, weakly: an id() could be reused by a later engine, which would then never be hooked.
_callbacks: weakref.WeakKeyDictionary[Engine, list[Callable[[], None]]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()


def note_written(conn: Connection) -> None:
    """Mark ``conn``'s transaction as one that wrote outbox rows."""
    conn.info[_WRITTEN] = True


def after_outbox_commit(engine: Engine, callback: Callable[[], None]) -> Callable[[], None]:
    """Call ``callback`` whenever a connection of ``engine`` that wrote outbox rows is checked
    back in (its transaction is over); returns the function that stops it. ``callback`` runs on
    the writer's thread: it must only wake someone."""
    with _lock:
        if engine not in _callbacks:
            callbacks: list[Callable[[], None]] = []
            _callbacks[engine] = callbacks
            # On the engine, not its pool: the listener survives engine.dispose().
            event.listen(engine, "checkin", _checked_in(callbacks))
        _callbacks[engine].append(callback)
        registered = _callbacks[engine]

    def stop() -> None:
        with _lock:
            if callback in registered:
                registered.remove(callback)

    return stop


def _checked_in(callbacks: list[Callable[[], None]]) -> Callable[[Any, Any], None]:
    def on_checkin(_dbapi_connection: Any, record: Any) -> None:
        if record is None or not record.info.pop(_WRITTEN, False):
            return
        for callback in list(callbacks):
            callback()

    return on_checkin
