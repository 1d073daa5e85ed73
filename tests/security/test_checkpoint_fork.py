"""A process forked while a head is being appended must not keep the checkpoint's lock.

`plataforma demo` hung at the end of its load: the importer's preparer pool was forked while
the chainer held the checkpoint log's flock, the child inherited the open file description,
and the next append waited for that child forever.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

from plataforma.security import checkpoint


def _linger() -> None:
    time.sleep(5)


def test_a_child_forked_during_an_append_does_not_hold_the_lock(tmp_path: Path) -> None:
    log = tmp_path / "audit-checkpoint.json"
    checkpoint.append_head(log, 1, "a" * 64)
    holding, release = threading.Event(), threading.Event()

    def append_slowly() -> None:
        with checkpoint._locked_append(log):
            holding.set()
            release.wait(5)

    appender = threading.Thread(target=append_slowly)
    appender.start()
    assert holding.wait(5)
    child = multiprocessing.get_context("fork").Process(target=_linger)
    child.start()
    try:
        release.set()
        appender.join(5)
        started = time.monotonic()
        done = threading.Event()
        threading.Thread(
            target=lambda: (checkpoint.append_head(log, 2, "b" * 64), done.set()), daemon=True
        ).start()
        assert done.wait(3), "the append waited for the forked child's copy of the lock"
        assert time.monotonic() - started < 3
        assert checkpoint.latest_head(log) is not None
        assert checkpoint.latest_head(log).chain_seq == 2  # type: ignore[union-attr]
    finally:
        child.kill()
        child.join()
