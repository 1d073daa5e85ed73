"""GroupCommit: every item committed exactly once, errors to their own caller, no stall.

The committer here is a list guarded by nothing but the group commit itself: if two leaders
ever ran at once, or an item were committed twice or never, these tests would see it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

import pytest

from plataforma.security.group_commit import GroupCommit

THREADS = 12
EACH = 200


class Ledger:
    """A committer that checks it is never entered by two leaders at once."""

    def __init__(self, delay: float = 0.0) -> None:
        self.committed: list[int] = []
        self.batches: list[int] = []
        self.inside = 0
        self.overlaps = 0
        self.delay = delay

    def __call__(self, items: Sequence[int]) -> list[BaseException | None]:
        self.inside += 1
        if self.inside > 1:
            self.overlaps += 1
        time.sleep(self.delay)  # the fsync: other threads queue meanwhile
        self.committed.extend(items)
        self.batches.append(len(items))
        self.inside -= 1
        return [ValueError(f"bad {item}") if item < 0 else None for item in items]


def _hammer(group: GroupCommit[int], results: dict[int, BaseException | None]) -> None:
    def worker(n: int) -> None:
        for i in range(EACH):
            item = n * EACH + i
            results[item] = group.submit(item)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a submitter never returned"


def test_every_item_is_committed_exactly_once_by_one_leader_at_a_time() -> None:
    ledger = Ledger(delay=0.0005)
    group = GroupCommit(ledger)
    results: dict[int, BaseException | None] = {}
    _hammer(group, results)
    assert sorted(ledger.committed) == list(range(THREADS * EACH))
    assert ledger.overlaps == 0
    assert all(error is None for error in results.values())
    assert group.items == THREADS * EACH


def test_concurrent_submitters_share_commits() -> None:
    ledger = Ledger(delay=0.002)
    group = GroupCommit(ledger)
    _hammer(group, {})
    assert group.commits < THREADS * EACH / 3, f"{group.commits} commits: no grouping"
    assert max(ledger.batches) > 1


def test_an_item_that_fails_fails_only_its_own_submitter() -> None:
    group = GroupCommit(Ledger())
    assert isinstance(group.submit(-1), ValueError)
    assert group.submit(1) is None


def test_a_committer_that_raises_fails_the_batch_and_the_next_leader_carries_on() -> None:
    calls = {"n": 0}

    def flaky(items: Sequence[int]) -> list[BaseException | None]:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("disk gone")
        return [None] * len(items)

    group = GroupCommit(flaky)
    with pytest.raises(RuntimeError):
        group.submit(1)
    assert group.submit(2) is None  # leadership was released, not lost with the error
