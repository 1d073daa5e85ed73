"""Group commit: concurrent units share commits, a failing unit fails alone, all are durable."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Connection, func, insert, select

from plataforma.context import Platform
from plataforma.store.group_commit import GroupCommitter
from plataforma.store.tables import login_failures


def _unit(i: int, fail: bool) -> object:
    def work(conn: Connection) -> int:
        conn.execute(insert(login_failures).values(username=f"u{i}", at=func.now()))
        if fail:
            raise ValueError(f"unit {i} fails after writing")
        return i

    return work


def test_concurrent_units_share_commits_and_fail_alone(sqlite_platform: Platform) -> None:
    committer = GroupCommitter(sqlite_platform.engine)
    results: dict[int, object] = {}

    def worker(i: int) -> None:
        try:
            results[i] = committer.run(_unit(i, fail=i % 10 == 0))  # type: ignore[arg-type]
        except ValueError as error:
            results[i] = error

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    failed = [i for i, r in results.items() if isinstance(r, ValueError)]
    assert sorted(failed) == list(range(0, 200, 10))
    with sqlite_platform.engine.connect() as conn:
        names = {r.username for r in conn.execute(select(login_failures.c.username))}
    assert names == {f"u{i}" for i in range(200) if i % 10}
    assert committer.units == 200
    assert committer.commits < 200


def test_error_is_raised_to_its_caller(sqlite_platform: Platform) -> None:
    committer = GroupCommitter(sqlite_platform.engine)
    with pytest.raises(ValueError, match="unit 1"):
        committer.run(_unit(1, fail=True))  # type: ignore[arg-type]
    assert committer.run(_unit(2, fail=False)) == 2  # type: ignore[arg-type]
