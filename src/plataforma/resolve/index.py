"""The real-time person index: link one incoming record in milliseconds, then remember it.

What the bus consumer calls for every new person-bearing record: candidates come from the
blocking index (dictionary look-ups, no scan), each is scored by the trained model in Python
(~10 µs a pair), and the record joins the best cluster whose members agree with it as a group
(the batch clustering's anti-chaining check), or starts a new person. Indexing is
incremental: nothing is rebuilt when a record arrives.

A record is linked once: adding the same record id again returns its existing link (events
are delivered at least once). Merging two existing persons, or splitting one, is the batch
re-resolution's and the analyst's business, not the arrival path's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .blocking import BlockIndex
from .clustering import ClusterSettings, groups_agree
from .frequencies import TermFrequencies
from .judgements import Judgement, Verdict
from .mention import PersonMention
from .model import MatchModel
from .scorer import Scorer, cannot_link, identifying, probability_of

__all__ = ["Candidate", "LinkResult", "PersonIndex"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """An indexed record scored against the incoming one."""

    record_id: str
    person_id: str
    weight: float
    probability: float
    linkable: bool  # identifying evidence, no hard conflict


@dataclass(frozen=True, slots=True)
class LinkResult:
    """Where a record went: its person, its strongest link, and the candidates seen."""

    record_id: str
    person_id: str
    match_score: float
    new_person: bool
    candidates: tuple[Candidate, ...]


class PersonIndex:
    """Mentions, their blocking keys, name frequencies and clusters, all in memory."""

    def __init__(
        self,
        model: MatchModel,
        clustering: ClusterSettings | None = None,
        max_block: int = 60,
        top: int = 10,
    ) -> None:
        self.mentions: list[PersonMention] = []
        self.blocks = BlockIndex(max_block)
        self.frequencies = TermFrequencies()
        self.scorer = Scorer(model, self.frequencies, 1)
        self.settings = clustering or ClusterSettings()
        self.top = top
        self._cluster_of: list[int] = []  # position → position of the cluster's oldest record
        self._members: dict[int, list[int]] = {}
        self._position: dict[str, int] = {}
        self._not_same: set[tuple[int, int]] = set()

    def load(
        self, mentions: Sequence[PersonMention], clusters: Sequence[int] | None = None
    ) -> None:
        """Index a batch already resolved, without linking it again.

        ``clusters[i]`` is the position (in ``mentions``) of mention i's cluster's oldest
        record, as `Resolver` and `cluster_links` give it; ``None`` makes every mention its
        own person. How the national index starts: from the last batch resolution.
        """
        offset = len(self.mentions)
        for i, mention in enumerate(mentions):
            cluster = offset + (clusters[i] if clusters is not None else i)
            self.mentions.append(mention)
            self._position[mention.record_id] = offset + i
            self._cluster_of.append(cluster)
            self._members.setdefault(cluster, []).append(offset + i)
            self.blocks.add(mention)
            self.frequencies.add(mention)

    def __len__(self) -> int:
        return len(self.mentions)

    def person_of(self, record_id: str) -> str | None:
        position = self._position.get(record_id)
        if position is None:
            return None
        return self.mentions[self._cluster_of[position]].record_id

    def judge(self, judgement: Judgement) -> None:
        """Remember a "not the same" judgement between two indexed records."""
        i, j = self._position.get(judgement.left), self._position.get(judgement.right)
        if judgement.verdict is Verdict.NOT_SAME and i is not None and j is not None:
            self._not_same.add((min(i, j), max(i, j)))

    def unjudge(self, judgement: Judgement) -> None:
        """Forget a "not the same" judgement that an analyst revoked."""
        i, j = self._position.get(judgement.left), self._position.get(judgement.right)
        if i is not None and j is not None:
            self._not_same.discard((min(i, j), max(i, j)))

    def regroup(self, assignment: Mapping[str, str]) -> None:
        """Move indexed records to the person named by another indexed record.

        How an analyst's merge or split (re-clustered outside the index), or a link another
        process wrote, reaches this index; ids it does not hold are ignored. The named record
        becomes its cluster's representative, so a person keeps its id.
        """
        for record_id, person_id in assignment.items():
            position = self._position.get(record_id)
            target = self._position.get(person_id)
            if position is None or target is None or self._cluster_of[position] == target:
                continue
            old = self._cluster_of[position]
            members = self._members.get(old, [])
            if position in members:
                members.remove(position)
            if not members:
                self._members.pop(old, None)
            self._cluster_of[position] = target
            self._members.setdefault(target, []).append(position)

    def link(self, mention: PersonMention) -> list[Candidate]:
        """Score ``mention`` against the index (nothing is added); best candidates first."""
        self.scorer.set_population(len(self.mentions) + 1)
        scored = []
        for position in self.blocks.candidates(mention):
            other = self.mentions[position]
            weight, levels = self.scorer.weight(mention, other)
            linkable = (
                identifying(levels)
                and not cannot_link(levels)
                and not (mention.sparse or other.sparse)
            )
            scored.append((weight, position, linkable))
        scored.sort(reverse=True)
        return [
            Candidate(
                self.mentions[p].record_id,
                self.mentions[self._cluster_of[p]].record_id,
                w,
                probability_of(w),
                ok,
            )
            for w, p, ok in scored[: self.top]
        ]

    def add(self, mention: PersonMention, judgements: Iterable[Judgement] = ()) -> LinkResult:
        """Link ``mention`` and index it; an already indexed record id is not linked twice."""
        known = self._position.get(mention.record_id)
        if known is not None:
            return LinkResult(
                mention.record_id, self.person_of(mention.record_id) or "", 0.0, False, ()
            )
        candidates = self.link(mention)
        position = len(self.mentions)
        self.mentions.append(mention)
        self._position[mention.record_id] = position
        for judgement in judgements:
            self.judge(judgement)
        chosen = self._choose(position, candidates)
        cluster = chosen if chosen is not None else position
        self._cluster_of.append(cluster)
        self._members.setdefault(cluster, []).append(position)
        self.blocks.add(mention)
        self.frequencies.add(mention)
        inside = [
            c.probability for c in candidates if c.person_id == self.mentions[cluster].record_id
        ]
        score = (
            max(inside)
            if chosen is not None and inside
            else (candidates[0].probability if candidates else 0.0)
        )
        return LinkResult(
            mention.record_id,
            self.mentions[cluster].record_id,
            round(score, 6),
            chosen is None,
            tuple(candidates),
        )

    def _choose(self, position: int, candidates: list[Candidate]) -> int | None:
        """The cluster the new record joins, or ``None`` for a new person."""
        mention = self.mentions[position]
        tried: set[int] = set()

        def weigh(i: int, j: int) -> tuple[float, bool]:
            other = self.mentions[j if i == position else i]
            weight, levels = self.scorer.weight(mention, other)
            return weight, cannot_link(levels)

        for candidate in candidates:
            if not candidate.linkable or candidate.weight < self.settings.link_weight:
                continue
            cluster = self._cluster_of[self._position[candidate.record_id]]
            if cluster in tried:
                continue
            tried.add(cluster)
            if groups_agree(
                [position], self._members[cluster], weigh, self._not_same, self.settings
            ):
                return cluster
        return None
