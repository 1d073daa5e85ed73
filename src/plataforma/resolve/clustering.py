"""Clustering links into persons, without chaining distinct people together.

Connected components over every link above the threshold is what most tools do, and it is
how a father, his son and an undated record of their shared name become one person: each link
is plausible, the chain is not. Here links are taken strongest first, and two clusters merge
only when their members agree *as groups*:

* no hard conflict between any two members (two valid CURPs, a different sex without an
  identifier to outweigh it, an analyst's "not the same");
* no strong contradiction (a member pair weighing below ``veto_weight``: the father and the son
  disagree on the date of birth by 25 years);
* on average the members link (mean cross weight at least ``mean_weight``).

A cluster is named by its oldest member (lowest ``order``), so its id does not change as it
grows. Analysts' "same" judgements merge first and are not re-checked.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

__all__ = ["ClusterSettings", "PairWeigher", "cluster_links", "groups_agree"]

PairWeigher = Callable[[int, int], tuple[float, bool]]


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """Thresholds in match weight (log2 odds); 3.17 is a probability of 0.9."""

    link_weight: float = 3.17
    # A member whose link to another person is nearly as strong as its best link to its own
    # (within this many bits) is ambiguous: it stays alone, for review.
    ambiguity_margin: float = 4.0
    mean_weight: float = 0.0
    veto_weight: float = -8.0
    max_cross_pairs: int = 400


class _Clusters:
    def __init__(self, orders: Sequence[int]) -> None:
        self.parent = list(range(len(orders)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(orders))}
        self.orders = orders

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.parent[b] = a
        self.members[a].extend(self.members.pop(b))


def _cross_pairs(left: list[int], right: list[int], limit: int) -> Iterable[tuple[int, int]]:
    total = len(left) * len(right)
    step = max(1, total // limit)
    for k in range(0, total, step):
        yield left[k // len(right)], right[k % len(right)]


def groups_agree(
    left: list[int],
    right: list[int],
    weigh: PairWeigher,
    forbidden: set[tuple[int, int]],
    settings: ClusterSettings,
) -> bool:
    """Whether two groups may merge: no conflict, no veto, and a mean weight high enough."""
    total, count = 0.0, 0
    for i, j in _cross_pairs(left, right, settings.max_cross_pairs):
        if (min(i, j), max(i, j)) in forbidden:
            return False
        weight, conflict = weigh(i, j)
        if conflict or weight < settings.veto_weight:
            return False
        total += weight
        count += 1
    if forbidden and len(left) * len(right) > settings.max_cross_pairs:
        # The sample may have skipped a judged pair: judgements are few, check them all.
        members = set(right)
        if any((min(i, j), max(i, j)) in forbidden for i in left for j in members):
            return False
    return count == 0 or total / count >= settings.mean_weight


def cluster_links(
    orders: Sequence[int],
    links: Iterable[tuple[float, int, int]],
    weigh: PairWeigher,
    same: Iterable[tuple[int, int]] = (),
    not_same: Iterable[tuple[int, int]] = (),
    settings: ClusterSettings | None = None,
) -> list[int]:
    """The cluster of every mention, as the position of its oldest member.

    ``links`` are (weight, i, j) candidate links (only those at or above the settings'
    ``link_weight`` are used); ``weigh`` scores any pair on demand for the group checks.
    """
    settings = settings or ClusterSettings()
    clusters = _Clusters(orders)
    forbidden = {(min(i, j), max(i, j)) for i, j in not_same}
    for i, j in same:
        a, b = clusters.find(i), clusters.find(j)
        if a != b:
            clusters.union(a, b)
    strong = sorted((link for link in links if link[0] >= settings.link_weight), reverse=True)
    for _weight, i, j in strong:
        a, b = clusters.find(i), clusters.find(j)
        if a == b:
            continue
        if groups_agree(clusters.members[a], clusters.members[b], weigh, forbidden, settings):
            clusters.union(a, b)
    labels = [clusters.find(i) for i in range(len(orders))]
    for i in _ambiguous(labels, strong, settings.ambiguity_margin):
        labels[i] = -1 - i  # a cluster of its own
    oldest: dict[int, int] = {}
    for i, label in enumerate(labels):
        if label not in oldest or orders[i] < orders[oldest[label]]:
            oldest[label] = i
    return [oldest[label] for label in labels]


def _ambiguous(labels: list[int], strong: list[tuple[float, int, int]], margin: float) -> list[int]:
    """Members strongly linked to another person almost as much as to their own.

    The undated "Juan Ruiz Ortiz" links to the father and to the son of that name; the
    greedy pass put him with one of them, on a difference the data cannot support.
    """
    inside: dict[int, float] = {}
    outside: dict[int, float] = {}
    for weight, i, j in strong:
        side = inside if labels[i] == labels[j] else outside
        for k in (i, j):
            if weight > side.get(k, -math.inf):
                side[k] = weight
    return [k for k, best in inside.items() if outside.get(k, -math.inf) >= best - margin]
