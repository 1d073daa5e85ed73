"""The person index in the store: links, judgements and the review queue, as rows.

Links are the source of truth and the in-memory `PersonIndex` a cache of them: a link that
changes person is deleted and inserted again, so its ``id`` grows, and any process catches up
by reading the rows past the last id it saw. Judgements are append-only (a revoke fills the
``revoked_*`` columns once). Nothing here touches a source record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from plataforma.store.dialect import dialect_for
from plataforma.store.tables import person_judgements, person_links, person_review

from .judgements import Judgement, Verdict

__all__ = [
    "LinkRow",
    "ReviewRow",
    "StoredJudgement",
    "active_judgements",
    "judgements_changed",
    "links_of_persons",
    "links_of_records",
    "links_past",
    "queue_reviews",
    "write_links",
]


@dataclass(frozen=True, slots=True)
class LinkRow:
    """One mention's link: which record and ordinal, its person, score and explanation."""

    mention_id: str
    record_id: str
    ordinal: int
    role: str
    person_id: str
    match_score: float
    explanation: dict[str, Any]
    model_version: str
    id: int = 0
    linked_at: datetime | None = None

    def values(self, now: datetime) -> dict[str, Any]:
        return {
            "mention_id": self.mention_id,
            "record_id": self.record_id,
            "ordinal": self.ordinal,
            "role": self.role,
            "person_id": self.person_id,
            "match_score": self.match_score,
            "explanation": self.explanation,
            "model_version": self.model_version,
            "linked_at": self.linked_at or now,
        }


def _link(row: Any) -> LinkRow:
    return LinkRow(
        row.mention_id,
        row.record_id,
        row.ordinal,
        row.role,
        row.person_id,
        float(row.match_score),
        dict(row.explanation or {}),
        row.model_version,
        int(row.id),
        row.linked_at,
    )


def write_links(conn: Connection, rows: Sequence[LinkRow], *, replace: bool = False) -> int:
    """Insert links; with ``replace``, a mention's old link is deleted first (its id grows).

    Without ``replace`` an already linked mention is left alone (a redelivered event).
    Returns how many rows were written.
    """
    if not rows:
        return 0
    now = datetime.now(UTC)
    if replace:
        ids = [r.mention_id for r in rows]
        conn.execute(delete(person_links).where(person_links.c.mention_id.in_(ids)))
        conn.execute(insert(person_links), [r.values(now) for r in rows])
        return len(rows)
    statement = dialect_for(conn).insert_ignoring_duplicates(person_links)
    written = 0
    for row in rows:
        written += len(conn.execute(statement, row.values(now)).all())
    return written


def links_past(conn: Connection, after: int, limit: int = 50_000) -> list[LinkRow]:
    """Links written after id ``after``, in id order (a process's index catching up)."""
    query = (
        select(person_links)
        .where(person_links.c.id > after)
        .order_by(person_links.c.id)
        .limit(limit)
    )
    return [_link(row) for row in conn.execute(query)]


def links_of_records(conn: Connection, record_ids: Iterable[str]) -> list[LinkRow]:
    ids = list(set(record_ids))
    if not ids:
        return []
    query = select(person_links).where(person_links.c.record_id.in_(ids))
    return [_link(row) for row in conn.execute(query)]


def links_of_persons(conn: Connection, person_ids: Iterable[str]) -> list[LinkRow]:
    ids = list(set(person_ids))
    if not ids:
        return []
    query = (
        select(person_links)
        .where(person_links.c.person_id.in_(ids))
        .order_by(person_links.c.person_id, person_links.c.id)
    )
    return [_link(row) for row in conn.execute(query)]


def delete_record_links(conn: Connection, record_id: str) -> int:
    """A purged record's links go with it (the mentions no longer exist)."""
    return conn.execute(delete(person_links).where(person_links.c.record_id == record_id)).rowcount


def link_count(conn: Connection) -> int:
    return int(conn.scalar(select(func.count()).select_from(person_links)) or 0)


# --- judgements -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredJudgement:
    id: int
    judgement: Judgement
    judged_by: str
    agency: str
    judged_at: datetime
    reason: str
    revoked_by: str | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "left": self.judgement.left,
            "right": self.judgement.right,
            "verdict": str(self.judgement.verdict),
            "judged_by": self.judged_by,
            "agency": self.agency,
            "judged_at": self.judged_at.isoformat(),
            "reason": self.reason,
            "revoked_by": self.revoked_by,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


def _judgement(row: Any) -> StoredJudgement:
    return StoredJudgement(
        int(row.id),
        Judgement(row.left_mention, row.right_mention, Verdict(row.verdict)),
        row.judged_by,
        row.agency,
        row.judged_at,
        row.reason,
        row.revoked_by,
        row.revoked_at,
    )


def add_judgement(
    conn: Connection, judgement: Judgement, judged_by: str, agency: str, reason: str
) -> StoredJudgement:
    left, right = judgement.key
    now = datetime.now(UTC)
    values = {
        "left_mention": left,
        "right_mention": right,
        "verdict": str(judgement.verdict),
        "judged_by": judged_by,
        "agency": agency,
        "judged_at": now,
        "reason": reason,
    }
    new_id = conn.execute(insert(person_judgements).returning(person_judgements.c.id), values)
    return get_judgement(conn, int(new_id.scalar_one())) or _missing(judgement)


def _missing(judgement: Judgement) -> StoredJudgement:
    raise LookupError(f"judgement on {judgement.key} vanished")


def get_judgement(conn: Connection, judgement_id: int) -> StoredJudgement | None:
    row = conn.execute(
        select(person_judgements).where(person_judgements.c.id == judgement_id)
    ).first()
    return None if row is None else _judgement(row)


def revoke_judgement(conn: Connection, judgement_id: int, revoked_by: str) -> bool:
    """Mark the judgement revoked, once; False when it was already revoked or never was."""
    done = conn.execute(
        update(person_judgements)
        .where(person_judgements.c.id == judgement_id, person_judgements.c.revoked_at.is_(None))
        .values(revoked_by=revoked_by, revoked_at=datetime.now(UTC))
    )
    return bool(done.rowcount)


def active_judgements(
    conn: Connection, mention_ids: Iterable[str] | None = None
) -> list[StoredJudgement]:
    """Judgements not revoked; with ``mention_ids``, only those between two of them."""
    query = select(person_judgements).where(person_judgements.c.revoked_at.is_(None))
    if mention_ids is not None:
        ids = list(set(mention_ids))
        query = query.where(
            person_judgements.c.left_mention.in_(ids),
            person_judgements.c.right_mention.in_(ids),
        )
    return [_judgement(row) for row in conn.execute(query.order_by(person_judgements.c.id))]


def judgements_changed(
    conn: Connection, after_id: int, revoked_since: datetime | None
) -> list[StoredJudgement]:
    """Judgements made after ``after_id`` or revoked since ``revoked_since``."""
    changed = person_judgements.c.id > after_id
    if revoked_since is not None:
        changed = or_(changed, person_judgements.c.revoked_at > revoked_since)
    else:
        changed = or_(changed, person_judgements.c.revoked_at.is_not(None))
    query = select(person_judgements).where(changed).order_by(person_judgements.c.id)
    return [_judgement(row) for row in conn.execute(query)]


def judgements_of(conn: Connection, mention_ids: Iterable[str]) -> list[StoredJudgement]:
    """Every judgement (revoked too) touching any of ``mention_ids``, for the person page."""
    ids = list(set(mention_ids))
    if not ids:
        return []
    query = (
        select(person_judgements)
        .where(
            or_(
                person_judgements.c.left_mention.in_(ids),
                person_judgements.c.right_mention.in_(ids),
            )
        )
        .order_by(person_judgements.c.id)
    )
    return [_judgement(row) for row in conn.execute(query)]


# --- the review queue -------------------------------------------------------------------


class ReviewStatus:
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """An uncertain pair: two mentions, their records, probability and explanation."""

    left_mention: str
    right_mention: str
    left_record: str
    right_record: str
    probability: float
    explanation: dict[str, Any]
    status: str = ReviewStatus.OPEN
    id: int = 0
    created_at: datetime | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    judgement_id: int | None = None


def _review(row: Any) -> ReviewRow:
    return ReviewRow(
        row.left_mention,
        row.right_mention,
        row.left_record,
        row.right_record,
        float(row.probability),
        dict(row.explanation or {}),
        row.status,
        int(row.id),
        row.created_at,
        row.decided_by,
        row.decided_at,
        row.judgement_id,
    )


def queue_reviews(conn: Connection, rows: Sequence[ReviewRow]) -> int:
    """Queue pairs not queued before (one row per pair, whatever the order named)."""
    statement = dialect_for(conn).insert_ignoring_duplicates(person_review)
    now = datetime.now(UTC)
    queued = 0
    for row in rows:
        left, right = sorted(
            ((row.left_mention, row.left_record), (row.right_mention, row.right_record))
        )
        values = {
            "left_mention": left[0],
            "right_mention": right[0],
            "left_record": left[1],
            "right_record": right[1],
            "probability": row.probability,
            "explanation": row.explanation,
            "status": ReviewStatus.OPEN,
            "created_at": now,
        }
        queued += len(conn.execute(statement, values).all())
    return queued


def open_reviews(conn: Connection, after: int, limit: int) -> list[ReviewRow]:
    """Open pairs past id ``after``, oldest first."""
    query = (
        select(person_review)
        .where(person_review.c.status == ReviewStatus.OPEN, person_review.c.id > after)
        .order_by(person_review.c.id)
        .limit(limit)
    )
    return [_review(row) for row in conn.execute(query)]


def get_review(conn: Connection, review_id: int) -> ReviewRow | None:
    row = conn.execute(select(person_review).where(person_review.c.id == review_id)).first()
    return None if row is None else _review(row)


def decide_review(
    conn: Connection, review_id: int, status: str, decided_by: str, judgement_id: int
) -> bool:
    """Close an open review; False if someone else decided it first."""
    done = conn.execute(
        update(person_review)
        .where(person_review.c.id == review_id, person_review.c.status == ReviewStatus.OPEN)
        .values(
            status=status,
            decided_by=decided_by,
            decided_at=datetime.now(UTC),
            judgement_id=judgement_id,
        )
    )
    return bool(done.rowcount)


def close_reviews_of_pair(
    conn: Connection, left: str, right: str, status: str, who: str, judgement_id: int
) -> None:
    """A judgement on a pair closes its open review, from the queue or not."""
    low, high = sorted((left, right))
    conn.execute(
        update(person_review)
        .where(
            and_(
                person_review.c.left_mention == low,
                person_review.c.right_mention == high,
                person_review.c.status == ReviewStatus.OPEN,
            )
        )
        .values(
            status=status, decided_by=who, decided_at=datetime.now(UTC), judgement_id=judgement_id
        )
    )
