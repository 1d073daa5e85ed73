"""The national person index of one server process: a `PersonIndex` kept in step with the
store's links and judgements.

The links table is the truth; this is its cache, loaded once (the first event or judgement
that needs it) and caught up before each use from the rows past the last link and judgement
ids it saw, so several server processes, each linking the events the bus hands it, and the
CLI's batch re-resolution all end in one national index. Linking a record scores each of its
mentions against the index, writes one link row per mention (its person, the strongest
link's probability and per-field weights, the model's version) and queues uncertain pairs
for an analyst.

Known limits: a record whose content changes keeps its mentions' links until the next batch
re-resolution (``plataforma resolve store``); two processes linking two records of one new
person at the same instant may each start a person (the review queue shows the pair).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select

from plataforma.model.envelope import Envelope
from plataforma.settings import Settings
from plataforma.store.engine import begin_write
from plataforma.store.tables import records

from .index import Candidate, LinkResult, PersonIndex
from .links import (
    LinkRow,
    ReviewRow,
    judgements_changed,
    links_past,
    queue_reviews,
    write_links,
)
from .mention import PersonMention
from .model import MatchModel, default_model
from .records import mentions_of_data

__all__ = ["LinkOutcome", "NationalIndex", "load_model", "national_index"]

log = logging.getLogger(__name__)
_REVIEWS_PER_MENTION = 3


def load_model(settings: Settings) -> tuple[MatchModel, str]:
    """The configured model and its version (file name and content hash, or ``default``)."""
    path = settings.resolve_model
    if path is None:
        return default_model(), "default"
    try:
        text = path.read_text(encoding="utf-8")
        model = MatchModel.from_json(json.loads(text))
    except (OSError, ValueError, KeyError) as error:
        raise ValueError(f"resolve_model: cannot read a model from {path}: {error}") from None
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return model, f"{path.name}:{digest}"[:64]


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    links: list[LinkRow]
    reviews: list[ReviewRow]


def explanation_of(
    index: PersonIndex, mention: PersonMention, other: PersonMention | None
) -> dict[str, Any]:
    """The per-field weights of ``mention`` against ``other`` (none: a person alone)."""
    if other is None:
        return {"against": None, "fields": []}
    score = index.scorer.score(mention, other)
    return {
        "against": other.record_id,
        "weight": round(score.weight, 3),
        "fields": [
            {"comparison": f.comparison, "level": f.level, "weight": f.weight}
            for f in score.explanation
        ],
    }


class NationalIndex:
    """One process's in-memory person index, synchronised with the store."""

    def __init__(
        self,
        engine: Engine,
        model: MatchModel,
        model_version: str,
        review_band: tuple[float, float] = (0.5, 0.95),
    ) -> None:
        self.engine = engine
        self.model_version = model_version
        self.review_band = review_band
        self.index = PersonIndex(model)
        self.mentions: dict[str, PersonMention] = {}
        self.roles: dict[str, str] = {}
        self.load_seconds = 0.0
        self._last_link = 0
        self._last_judgement = 0
        self._revoked_since: datetime | None = None
        self._unwritten: dict[str, LinkRow] = {}
        self._lock = threading.RLock()
        self._loaded = False

    # --- catching up with the store --------------------------------------------------

    def _contents(self, conn: Connection, record_ids: Iterable[str]) -> dict[str, Any]:
        ids = list(set(record_ids))
        found: dict[str, Any] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            query = select(
                records.c.id, records.c.record_type, records.c.agency, records.c.data
            ).where(records.c.id.in_(chunk))
            found.update({row.id: row for row in conn.execute(query)})
        return found

    def _mentions_for(self, conn: Connection, rows: Sequence[LinkRow]) -> list[PersonMention]:
        """The mentions the link rows name (rows whose record is gone are skipped)."""
        contents = self._contents(conn, (r.record_id for r in rows))
        by_record: dict[str, dict[str, PersonMention]] = {}
        out = []
        for row in rows:
            content = contents.get(row.record_id)
            if content is None:
                continue
            if row.record_id not in by_record:
                named = mentions_of_data(
                    content.id, content.record_type, content.agency, content.data
                )
                by_record[row.record_id] = {m.mention.record_id: m.mention for m in named}
            mention = by_record[row.record_id].get(row.mention_id)
            if mention is not None:
                out.append(mention)
                self.roles[row.mention_id] = row.role
        return out

    def _load(self, conn: Connection) -> None:
        started = time.perf_counter()
        while True:
            rows = links_past(conn, self._last_link)
            if not rows:
                break
            self._add_rows(conn, rows)
            self._last_link = rows[-1].id
        self._sync_judgements(conn)
        self.load_seconds = time.perf_counter() - started
        self._loaded = True
        log.info("person index loaded: %d mentions in %.2f s", len(self.index), self.load_seconds)

    def _add_rows(self, conn: Connection, rows: Sequence[LinkRow]) -> None:
        known = [r for r in rows if r.mention_id in self.mentions]
        new_rows = [r for r in rows if r.mention_id not in self.mentions]
        fresh = self._mentions_for(conn, new_rows)
        person_of = {r.mention_id: r.person_id for r in rows}
        position = {m.record_id: i for i, m in enumerate(fresh)}
        clusters = []
        for i, mention in enumerate(fresh):
            # The person's namesake in this batch, else the mention stands alone for now and
            # is regrouped below onto the namesake already indexed.
            clusters.append(position.get(person_of[mention.record_id], i))
        self.index.load(fresh, clusters)
        for mention in fresh:
            self.mentions[mention.record_id] = mention
        moved = {
            r.mention_id: r.person_id
            for r in [*known, *new_rows]
            if r.mention_id in self.mentions and self.index.person_of(r.mention_id) != r.person_id
        }
        if moved:
            self.index.regroup(moved)

    def _sync_judgements(self, conn: Connection) -> None:
        for stored in judgements_changed(conn, self._last_judgement, self._revoked_since):
            if stored.active:
                self.index.judge(stored.judgement)
            else:
                self.index.unjudge(stored.judgement)
                if self._revoked_since is None or (
                    stored.revoked_at is not None and stored.revoked_at > self._revoked_since
                ):
                    self._revoked_since = stored.revoked_at
            self._last_judgement = max(self._last_judgement, stored.id)

    def sync(self, conn: Connection | None = None) -> None:
        """Load on first use, then catch up with links and judgements written since."""
        with self._lock:
            if conn is None:
                with self.engine.connect() as own:
                    self.sync(own)
                return
            if not self._loaded:
                self._load(conn)
                return
            rows = links_past(conn, self._last_link)
            if rows:
                self._add_rows(conn, rows)
                self._last_link = rows[-1].id
            self._sync_judgements(conn)

    # --- linking ---------------------------------------------------------------------

    def _reviews(
        self, record_id: str, mention: PersonMention, result: LinkResult
    ) -> list[ReviewRow]:
        low, high = self.review_band
        out = []
        for candidate in result.candidates:
            # Above the band but held back by a hard rule (sex, two valid CURPs, a record with
            # almost nothing): not linked, so a person must look at it, or nobody ever will.
            held_back = (
                candidate.probability >= high
                and not candidate.linkable
                and candidate.person_id != result.person_id
            )
            if not (low <= candidate.probability < high or held_back):
                continue
            other = self.mentions.get(candidate.record_id)
            if other is None:
                continue
            out.append(
                ReviewRow(
                    mention.record_id,
                    candidate.record_id,
                    record_id,
                    candidate.record_id.rpartition(".")[0],
                    round(candidate.probability, 6),
                    explanation_of(self.index, mention, other),
                )
            )
            if len(out) == _REVIEWS_PER_MENTION:
                break
        return out

    def _strongest(self, result: LinkResult) -> Candidate | None:
        inside = [c for c in result.candidates if c.person_id == result.person_id]
        pool = inside or list(result.candidates)
        return max(pool, key=lambda c: c.probability) if pool else None

    def link(self, record: Envelope) -> LinkOutcome:
        """Link every mention of ``record`` not linked yet; returns the rows to write."""
        links: list[LinkRow] = []
        reviews: list[ReviewRow] = []
        named = mentions_of_data(record.id, record.record_type, record.agency, record.data)
        for item in named:
            mention = item.mention
            pending = self._unwritten.get(mention.record_id)
            if pending is not None:
                links.append(pending)
                continue
            if mention.record_id in self.mentions:
                continue  # linked before: a redelivered event
            mention = replace(mention, order=len(self.index))  # arrival order
            result = self.index.add(mention)
            self.mentions[mention.record_id] = mention
            self.roles[mention.record_id] = item.role
            best = self._strongest(result)
            other = self.mentions.get(best.record_id) if best is not None else None
            links.append(
                LinkRow(
                    mention.record_id,
                    record.id,
                    item.ordinal,
                    item.role,
                    result.person_id,
                    0.0 if result.new_person else result.match_score,
                    explanation_of(self.index, mention, other),
                    self.model_version,
                )
            )
            reviews.extend(self._reviews(record.id, mention, result))
        return LinkOutcome(links, reviews)

    def link_and_store(self, record: Envelope) -> LinkOutcome:
        """Catch up, link ``record`` and write its links and reviews in one transaction.

        If the write fails the computed links are kept and written when the event comes
        again (the index already holds the mentions, so they would not be linked twice).
        """
        with self._lock:
            self.sync()
            outcome = self.link(record)
            if not outcome.links and not outcome.reviews:
                return outcome
            try:
                with begin_write(self.engine) as conn:
                    write_links(conn, outcome.links)
                    queue_reviews(conn, outcome.reviews)
            except Exception:
                for row in outcome.links:
                    self._unwritten[row.mention_id] = row
                raise
            for row in outcome.links:
                self._unwritten.pop(row.mention_id, None)
            return outcome


_INDEXES: weakref.WeakKeyDictionary[Engine, NationalIndex] = weakref.WeakKeyDictionary()
_REGISTRY_LOCK = threading.Lock()


def national_index(settings: Settings, engine: Engine) -> NationalIndex:
    """This process's national index for ``engine`` (made once, loaded on first use)."""
    with _REGISTRY_LOCK:
        found = _INDEXES.get(engine)
        if found is None:
            model, version = load_model(settings)
            band = (settings.resolve_review_low, settings.resolve_review_high)
            found = _INDEXES[engine] = NationalIndex(engine, model, version, band)
        return found
