"""Re-resolve the whole store in one batch: ``plataforma resolve store``.

The consumer links each mention once, on arrival, against what the index held then; it never
merges two persons that later evidence joins, and a record whose content changed keeps its
old links. This batch reads every person-bearing record as it is now, resolves all mentions
together with `Resolver` and every active judgement ("not the same" is never overridden, "same"
merges), and rewrites only the links that differ: a mention whose person changed, a record
changed since it was linked, a mention never linked, or a link made by another model. Links
of mentions that no longer exist (a person removed from an incident) are deleted. Person ids
stay the id of each person's oldest record, so a person that only grew keeps its id.

Rows are written in chunks, each its own transaction (a rerun after a crash redoes only what
differs). Every server process's index catches up from the rewritten rows, as after an
analyst's judgement.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, select

from plataforma.model.envelope import RecordStatus
from plataforma.settings import Settings
from plataforma.store.engine import begin_write
from plataforma.store.tables import person_links, records

from .explain import explanation_against, partners_in_person
from .links import (
    LinkRow,
    ReviewRow,
    active_judgements,
    links_past,
    queue_reviews,
    write_links,
)
from .mention import PersonMention
from .model import MatchModel
from .national import load_model
from .records import PERSON_BEARING_TYPES, mentions_of_data
from .resolver import Resolution, Resolver, ResolveSettings
from .scorer import probability_of

__all__ = ["StoreResolution", "model_version_of", "resolve_store"]

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]
_PAGE = 5_000
_CHUNK = 5_000


@dataclass
class StoreResolution:
    """What one batch did, for the command's summary and the benchmark."""

    records: int = 0
    mentions: int = 0
    persons: int = 0
    rewritten: int = 0
    moved: int = 0
    content_changed: int = 0
    new: int = 0
    deleted: int = 0
    reviews_queued: int = 0
    model_version: str = ""
    model: MatchModel | None = None
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Named:
    mention: PersonMention
    record_id: str
    ordinal: int
    role: str
    entered_at: str
    updated_at: datetime


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def model_version_of(path: Path) -> str:
    """A model file's version as the consumer names it: file name and content hash."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"{path.name}:{digest}"[:64]


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _read_mentions(engine: Engine, progress: Progress) -> Iterator[tuple[int, list[_Named]]]:
    """Every mention of every current person-bearing record, a page of records at a time."""
    after = ""
    read = 0
    while True:
        query = (
            select(
                records.c.id,
                records.c.record_type,
                records.c.agency,
                records.c.data,
                records.c.entered_at,
                records.c.updated_at,
            )
            .where(
                records.c.record_type.in_(sorted(PERSON_BEARING_TYPES)),
                records.c.status != str(RecordStatus.PURGED),
                records.c.id > after,
            )
            .order_by(records.c.id)
            .limit(_PAGE)
        )
        with engine.connect() as conn:
            rows = conn.execute(query).all()
        if not rows:
            return
        page: list[_Named] = []
        for row in rows:
            for named in mentions_of_data(row.id, row.record_type, row.agency, row.data):
                page.append(
                    _Named(
                        named.mention,
                        row.id,
                        named.ordinal,
                        named.role,
                        str(_aware(row.entered_at)),
                        _aware(row.updated_at) or datetime.now(UTC),
                    )
                )
        read += len(rows)
        progress("read", read, 0)
        yield len(rows), page
        after = rows[-1].id


def _reviews(
    resolution: Resolution, named: list[_Named], band: tuple[float, float]
) -> list[ReviewRow]:
    """Pairs in the review band, as the consumer queues them on arrival."""
    low, high = band
    out = []
    for (i, j), w in zip(resolution.pairs.tolist(), resolution.weights.tolist(), strict=True):
        probability = probability_of(float(w))
        if low <= probability < high:
            out.append(
                ReviewRow(
                    resolution.mentions[i].record_id,
                    resolution.mentions[j].record_id,
                    named[i].record_id,
                    named[j].record_id,
                    round(probability, 6),
                    explanation_against(resolution, i, j),
                )
            )
    return out


def _write_in_chunks(engine: Engine, rows: list[LinkRow], progress: Progress) -> None:
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        with begin_write(engine) as conn:
            write_links(conn, chunk, replace=True)
        progress("written", start + len(chunk), len(rows))


def _current_links(conn: Connection) -> dict[str, LinkRow]:
    found: dict[str, LinkRow] = {}
    after = 0
    while True:
        rows = links_past(conn, after)
        if not rows:
            return found
        found.update({row.mention_id: row for row in rows})
        after = rows[-1].id


def resolve_store(
    engine: Engine,
    settings: Settings,
    *,
    train: bool = False,
    model: MatchModel | None = None,
    model_version: str | None = None,
    save_model: Path | None = None,
    progress: Progress = _quiet,
) -> StoreResolution:
    """Resolve every mention in the store again and rewrite the links that differ.

    ``model`` (with its ``model_version``) overrides the configured one. With ``train`` the
    model is trained on the store itself; with ``save_model`` the model used is written
    there first and the links name that file's version, as the consumer will once
    ``PLATAFORMA_RESOLVE_MODEL`` points at it.
    """
    outcome = StoreResolution()
    started = time.perf_counter()
    named: list[_Named] = []
    for count, page in _read_mentions(engine, progress):
        outcome.records += count
        named.extend(page)
    with engine.connect() as conn:
        judgements = [j.judgement for j in active_judgements(conn)]
        existing = _current_links(conn)
    # Oldest record first: each person keeps the id of its oldest record.
    named.sort(key=lambda n: (n.entered_at, n.mention.record_id))
    mentions = [replace(n.mention, order=i) for i, n in enumerate(named)]
    outcome.mentions = len(mentions)
    outcome.seconds["read"] = time.perf_counter() - started

    if model is None:
        model, model_version = load_model(settings)
    if train:
        resolver = Resolver(None, ResolveSettings(train=True))
    else:
        resolver = Resolver(model, ResolveSettings(train=False))
    step = time.perf_counter()
    resolution = resolver.resolve(mentions, judgements, progress=progress)
    outcome.seconds["resolve"] = time.perf_counter() - step
    if save_model is not None:
        save_model.parent.mkdir(parents=True, exist_ok=True)
        resolution.model.save(save_model)
        model_version = model_version_of(save_model)
    elif train:
        text = json.dumps(resolution.model.to_json(), sort_keys=True)
        model_version = f"trained:{hashlib.sha256(text.encode()).hexdigest()[:12]}"
    outcome.model = resolution.model
    outcome.model_version = model_version or "default"
    outcome.persons = len(set(resolution.person_ids))

    step = time.perf_counter()
    partners = partners_in_person(resolution)
    rows: list[LinkRow] = []
    for i, item in enumerate(named):
        old = existing.pop(item.mention.record_id, None)
        person = resolution.person_ids[i]
        linked_at = _aware(old.linked_at) if old is not None else None
        changed = old is not None and linked_at is not None and item.updated_at > linked_at
        same_model = old is not None and old.model_version == outcome.model_version
        if old is not None and old.person_id == person and not changed and same_model:
            continue
        outcome.new += old is None
        outcome.moved += old is not None and old.person_id != person
        outcome.content_changed += changed
        rows.append(
            LinkRow(
                item.mention.record_id,
                item.record_id,
                item.ordinal,
                item.role,
                person,
                resolution.match_scores[i] if partners[i] is not None else 0.0,
                explanation_against(resolution, i, partners[i]),
                outcome.model_version,
            )
        )
    _write_in_chunks(engine, rows, progress)
    outcome.rewritten = len(rows)
    gone = list(existing)
    with begin_write(engine) as conn:
        for start in range(0, len(gone), 500):
            chunk = gone[start : start + 500]
            conn.execute(delete(person_links).where(person_links.c.mention_id.in_(chunk)))
        band = (settings.resolve_review_low, settings.resolve_review_high)
        outcome.reviews_queued = queue_reviews(conn, _reviews(resolution, named, band))
    outcome.deleted = len(gone)
    outcome.seconds["write"] = time.perf_counter() - step
    outcome.seconds["total"] = time.perf_counter() - started
    return outcome
