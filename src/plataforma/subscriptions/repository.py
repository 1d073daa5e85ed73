"""Subscriptions in the store: create, page, delete, and find the ones an event matches.

Matching is an index probe: an event brings its candidate ``(kind, value)`` pairs (its
inquiry keys, the name prefixes of its name keys, its record id, its areas) and one query on
``subscription_keys``' primary key finds the subscriptions that hold any of them, whatever
their number (``bench/subscriptions.py`` measures it against scanning them all).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select

from plataforma.model.records.object_keys import is_possible_key
from plataforma.store.ids import uuid7
from plataforma.store.tables import subscription_keys, subscriptions
from plataforma.subscriptions.candidates import key_in
from plataforma.subscriptions.targets import Key, Normalised

# An event with more candidate keys than this is looked up in several queries (bound
# parameters stay well under SQLite's limit).
_CHUNK = 100


@dataclass(frozen=True, slots=True)
class Subscription:
    id: str
    kind: str
    owner_user: str
    agency: str
    desk: bool
    purpose: str
    label: str
    target: dict[str, Any]
    created_at: datetime


def _subscription(row: Any) -> Subscription:
    created = row.created_at
    return Subscription(
        row.id,
        row.kind,
        row.owner_user,
        row.agency,
        bool(row.desk),
        row.purpose,
        row.label,
        dict(row.target),
        created if created.tzinfo else created.replace(tzinfo=UTC),
    )


def count_owned(conn: Connection, username: str) -> int:
    query = select(func.count()).select_from(subscriptions)
    return int(conn.execute(query.where(subscriptions.c.owner_user == username)).scalar_one())


def create(
    conn: Connection,
    kind: str,
    owner_user: str,
    agency: str,
    desk: bool,
    purpose: str,
    target: Normalised,
) -> Subscription:
    row: dict[str, Any] = {
        "id": uuid7(),
        "kind": kind,
        "owner_user": owner_user,
        "agency": agency,
        "desk": desk,
        "purpose": purpose,
        "label": target.label[:200],
        "target": target.facts,
        "created_at": datetime.now(UTC),
    }
    conn.execute(insert(subscriptions), row)
    keys = [{"kind": k, "value": v, "subscription_id": row["id"]} for k, v in set(target.keys)]
    conn.execute(insert(subscription_keys), keys)
    return Subscription(**row)


def get(conn: Connection, subscription_id: str) -> Subscription | None:
    row = conn.execute(select(subscriptions).where(subscriptions.c.id == subscription_id)).first()
    return _subscription(row) if row else None


def page(
    conn: Connection, username: str, agency: str, after: str | None, limit: int
) -> list[Subscription]:
    """The caller's own subscriptions and their agency's desk ones, oldest first."""
    query = select(subscriptions).where(
        or_(
            subscriptions.c.owner_user == username,
            and_(subscriptions.c.agency == agency, subscriptions.c.desk.is_(True)),
        )
    )
    if after is not None:
        query = query.where(subscriptions.c.id > after)
    rows = conn.execute(query.order_by(subscriptions.c.id).limit(limit))
    return [_subscription(row) for row in rows]


def remove(conn: Connection, subscription_id: str) -> None:
    conn.execute(
        delete(subscription_keys).where(subscription_keys.c.subscription_id == subscription_id)
    )
    conn.execute(delete(subscriptions).where(subscriptions.c.id == subscription_id))


def matching(conn: Connection, candidates: Iterable[Key]) -> list[tuple[Subscription, Key]]:
    """The subscriptions holding any of ``candidates``, each with the key it matched on
    (an exact key rather than a skeleton, when it holds both)."""
    keys = sorted(set(candidates))
    found: dict[str, tuple[Subscription, Key]] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk: Sequence[Key] = keys[start : start + _CHUNK]
        query = (
            select(
                subscriptions,
                subscription_keys.c.kind.label("key_kind"),
                subscription_keys.c.value.label("key_value"),
            )
            .join(subscription_keys, subscription_keys.c.subscription_id == subscriptions.c.id)
            .where(key_in(subscription_keys.c.kind, subscription_keys.c.value, chunk))
        )
        for row in conn.execute(query):
            known = found.get(row.id)
            exact_now = not is_possible_key(row.key_kind)
            if known is None or (exact_now and is_possible_key(known[1][0])):
                found[row.id] = (_subscription(row), (row.key_kind, row.key_value))
    return [found[key] for key in sorted(found)]
