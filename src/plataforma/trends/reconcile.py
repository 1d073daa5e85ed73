"""Prove the live counts equal a full recount of the records, and repair them when not.

The live counts are kept one event at a time; this module counts every incident again from
scratch with the same `contribution` rules and compares the two tables row by row. Equal is
the normal state (the tests check it after every kind of change). A difference means
increments were lost (a power cut after an unsynced commit) or the counting rules changed:
``repair`` then rewrites both tables from the recount, in one write transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, delete, select

from plataforma.model.envelope import Envelope
from plataforma.store import reader
from plataforma.store.engine import begin_write
from plataforma.store.tables import trend_contributions, trend_counts
from plataforma.trends.aggregator import apply_deltas, territory
from plataforma.trends.contribution import CountKey, count_keys, facts_of

__all__ = ["Reconciliation", "Recount", "reconcile_counts", "recount"]

BATCH = 5000


@dataclass
class Reconciliation:
    """How the live counts compare with a recount (and whether they were repaired)."""

    incidents: int = 0
    counted: int = 0
    rows: int = 0
    differences: int = 0
    examples: list[tuple[CountKey, int, int]] = field(default_factory=list)
    repaired: bool = False

    @property
    def equal(self) -> bool:
        return self.differences == 0


def _incidents(conn: Connection) -> Iterator[list[Envelope]]:
    after: str | None = None
    while page := reader.list_records(conn, "incident", after=after, limit=BATCH):
        yield page
        after = page[-1].id


@dataclass
class Recount:
    """Every count and every counted incident's contribution, computed afresh."""

    totals: Counter[CountKey] = field(default_factory=Counter)
    contributions: dict[str, tuple[int, list[CountKey]]] = field(default_factory=dict)
    incidents: int = 0


def recount(conn: Connection) -> Recount:
    """Count every incident in the store again, with the live consumer's rules."""
    result = Recount()
    totals, contributions = result.totals, result.contributions
    for page in _incidents(conn):
        result.incidents += len(page)
        counted = [(r, f) for r in page if (f := facts_of(r)) is not None]
        for (record, _), keys in zip(
            counted, count_keys([f for _, f in counted], territory()), strict=True
        ):
            totals.update(keys)
            contributions[record.id] = (record.version, keys)
    return result


def _live(conn: Connection) -> Counter[CountKey]:
    live: Counter[CountKey] = Counter()
    for row in conn.execute(select(trend_counts).where(trend_counts.c.count != 0)):
        key = (row.grain, row.crime_type, row.area_level, row.area, row.period_start.isoformat())
        live[key] = int(row._mapping["count"])
    return live


def reconcile_counts(engine: Engine, *, repair: bool = False, examples: int = 10) -> Reconciliation:
    """Compare the live counts with a recount; with ``repair``, rewrite them from it."""
    with begin_write(engine) as conn:  # one snapshot: no event lands between the two reads
        fresh = recount(conn)
        expected, contributions = fresh.totals, fresh.contributions
        live = _live(conn)
        report = Reconciliation(fresh.incidents, len(contributions), len(expected))
        keys = set(expected) | set(live)
        wrong = sorted(k for k in keys if expected.get(k, 0) != live.get(k, 0))
        report.differences = len(wrong)
        report.examples = [(k, live.get(k, 0), expected.get(k, 0)) for k in wrong[:examples]]
        if repair and wrong:
            conn.execute(delete(trend_counts))
            conn.execute(delete(trend_contributions))
            apply_deltas(conn, expected)
            if contributions:
                conn.execute(
                    trend_contributions.insert(),
                    [
                        {"record_id": rid, "version": version, "keys": keys}
                        for rid, (version, keys) in contributions.items()
                    ],
                )
            report.repaired = True
    return report
