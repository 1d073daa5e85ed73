"""The audit chain's witness: an append-only log of chain heads kept outside the database.

Each time the chainer links events it appends one JSON line ``{"chain_seq", "hash", "at"}``
to this file (opened ``O_APPEND``, flushed with ``fsync``), so the file is the history of the
heads the database has shown, not just the last one. The chainer refuses to continue from a
database head this log does not confirm, and ``audit verify`` checks that every head in it is
still in the database; a later line with a lower sequence than an earlier one (a rewound
witness) is reported too.

Releases before this one kept a single JSON object, replaced on each checkpoint; such a file
reads as a log of one entry, and the first append turns it into a log in place.
"""

from __future__ import annotations

import fcntl
import json
import logging
import logging.handlers
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

Checkpoint = Path

# Each appended head also goes to this logger, so a deployment can ship heads off the machine
# (syslog, a log collector) with an ordinary logging handler; see docs/security.md.
heads_log = logging.getLogger(f"{__name__}.heads")
# Not to stderr with the rest: one line per chain run is noise there. Heads go only where a
# handler is attached for them (``PLATAFORMA_AUDIT_CHECKPOINT_SYSLOG``, or the deployment's own).
heads_log.propagate = False

_TAIL_BYTES = 8192


@dataclass(frozen=True, slots=True)
class Head:
    """One checkpointed head: the chain's sequence number and hash at that moment."""

    chain_seq: int
    hash: str
    at: str | None = None
    line: int = 0


@dataclass
class CheckpointLog:
    """Every readable head in file order, and the lines that could not be read."""

    heads: list[Head] = field(default_factory=list)
    unreadable: list[int] = field(default_factory=list)

    @property
    def latest(self) -> Head | None:
        return self.heads[-1] if self.heads else None

    def rewinds(self) -> Iterator[tuple[Head, Head]]:
        """(earlier, later) pairs where a later head is behind, or differs at, an earlier one."""
        highest: Head | None = None
        for head in self.heads:
            if highest is not None and (
                head.chain_seq < highest.chain_seq
                or (head.chain_seq == highest.chain_seq and head.hash != highest.hash)
            ):
                yield highest, head
            elif highest is None or head.chain_seq > highest.chain_seq:
                highest = head


def _parse(text: str, line: int) -> Head | None:
    try:
        payload = json.loads(text)
        seq, digest = int(payload["chain_seq"]), str(payload["hash"])
    except (ValueError, KeyError, TypeError):
        return None
    if seq < 0 or len(digest) != 64:
        return None
    at = payload.get("at")
    return Head(seq, digest, str(at) if at is not None else None, line)


def read_log(path: Checkpoint) -> CheckpointLog:
    """The whole checkpoint log (legacy single-object files read as one entry)."""
    found = CheckpointLog()
    if not path.exists():
        return found
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, text in enumerate(handle, 1):
            if not text.strip():
                continue
            head = _parse(text, number)
            if head is None:
                found.unreadable.append(number)
            else:
                found.heads.append(head)
    return found


def latest_head(path: Checkpoint) -> Head | None:
    """The last readable head, read from the file's tail (the log grows without bound)."""
    if not path.exists():
        return None
    with open(path, "rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(0, size - _TAIL_BYTES))
        tail = handle.read().decode("utf-8", errors="replace")
    lines = [text for text in tail.splitlines() if text.strip()]
    for text in reversed(lines):
        head = _parse(text, 0)
        if head is not None:
            return head
    return read_log(path).latest if size > _TAIL_BYTES else None


# A flock belongs to the open file description, and a forked child shares its parent's: a
# process forked while a head is being appended (the bulk importer's preparer pool starts
# while the chainer runs) would hold the lock for its whole life, and the next append would
# wait for that child forever (seen: `plataforma demo` hung at the end of its load). So the
# descriptors of appends in flight are closed in every forked child, and taken out of the
# fork's way under a lock that is never held across a wait.
_fds_lock = threading.Lock()
_appending: set[int] = set()


def _before_fork() -> None:
    _fds_lock.acquire()


def _after_fork_in_parent() -> None:
    _fds_lock.release()


def _after_fork_in_child() -> None:
    global _fds_lock
    for fd in _appending:
        os.close(fd)  # the parent's descriptor keeps the lock; only the child's copy goes
    _appending.clear()
    _fds_lock = threading.Lock()


os.register_at_fork(
    before=_before_fork,
    after_in_parent=_after_fork_in_parent,
    after_in_child=_after_fork_in_child,
)


@contextmanager
def _locked_append(path: Checkpoint) -> Iterator[int]:
    """The file opened for appending, under an exclusive lock shared by every process."""
    path.parent.mkdir(parents=True, exist_ok=True)
    created = not path.exists()
    with _fds_lock:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        _appending.add(fd)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        with _fds_lock:
            _appending.discard(fd)
            os.close(fd)  # releases the lock
    if created:  # the new name must survive a crash too
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def append_head(path: Checkpoint, seq: int, digest: str) -> bool:
    """Append ``(seq, digest)`` unless the log already holds a head at or beyond ``seq``.

    Several server processes chain one database: each appends after its own commit, so a
    process that committed earlier may come to append after one that committed later. Under
    the file lock, a head that is not ahead of the last one adds nothing and is skipped,
    which keeps a legitimate log strictly increasing: any rewind in it is someone's doing.
    """
    with _locked_append(path) as fd:
        last = latest_head(path)
        if last is not None and last.chain_seq >= seq:
            return False
        at = datetime.now(UTC).isoformat()
        line = json.dumps({"chain_seq": seq, "hash": digest, "at": at}, separators=(",", ":"))
        needs_newline = os.fstat(fd).st_size > 0 and not _ends_with_newline(path)
        os.write(fd, (("\n" if needs_newline else "") + line + "\n").encode())
        os.fsync(fd)
    heads_log.info("audit head", extra={"chain_seq": seq, "hash": digest, "at": at})
    return True


def _ends_with_newline(path: Checkpoint) -> bool:
    with open(path, "rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def write_checkpoint(path: Checkpoint, seq: int, digest: str) -> None:
    """Record a new head (kept for callers of the single-head API: it appends)."""
    append_head(path, seq, digest)


def read_checkpoint(path: Checkpoint) -> tuple[int, str] | None:
    """The latest checkpointed head as ``(chain_seq, hash)``, or None before the first."""
    head = latest_head(path)
    return (head.chain_seq, head.hash) if head else None


def ship_heads_to_syslog(address: str) -> None:
    """Send every appended head to syslog at ``address`` (a socket path, or ``host:port`` UDP).

    The checkpoint log on the machine is only a witness against a database-only attacker;
    a copy on a log host the database's administrators cannot edit also holds against
    someone who controls this machine. Idempotent per address.
    """
    target: str | tuple[str, int]
    if address.startswith("/"):
        target = address
    else:
        host, _, port = address.rpartition(":")
        target = (host or "localhost", int(port or 514))
    for handler in heads_log.handlers:
        if getattr(handler, "plataforma_address", None) == target:
            return
    handler = logging.handlers.SysLogHandler(
        address=target, facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV
    )
    handler.setFormatter(
        logging.Formatter("plataforma-audit: chain_seq=%(chain_seq)s hash=%(hash)s at=%(at)s")
    )
    handler.plataforma_address = target  # type: ignore[attr-defined]
    heads_log.addHandler(handler)
    heads_log.setLevel(logging.INFO)
