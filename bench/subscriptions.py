"""Cost per record event of the ``subscriptions`` consumer, against N standing subscriptions.

Ours: the event's candidate keys probe ``subscription_keys``' primary key (one query however
many subscriptions exist), then only the matches are read and judged. Baseline, in the same
run: the naive consumer, which reads every subscription and its keys for each event and
compares them in Python. Both find the same notices (checked). Also the whole handler
(matching, policy, inbox row and audit event committed) per event.

    python bench/subscriptions.py [--subscriptions 100000] [--events 300] [--smoke]
"""

from __future__ import annotations

import argparse
import random
import string
import time
from collections.abc import Callable
from datetime import UTC, datetime

from _common import is_smoke, metric, percentile, write_results
from _server import temp_dir
from sqlalchemy import insert, select

from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.realtime.events import RecordEvent
from plataforma.records.service import RecordService
from plataforma.security import agencies
from plataforma.security.identity import create_user
from plataforma.security.principal import LOCAL_ADMIN, Role
from plataforma.settings import Settings
from plataforma.store import reader
from plataforma.store.engine import begin_write
from plataforma.store.tables import outbox, subscription_keys, subscriptions
from plataforma.subscriptions import matcher
from plataforma.subscriptions.candidates import key_candidates
from plataforma.subscriptions.notify import may_learn
from plataforma.subscriptions.principals import Recipients
from plataforma.subscriptions.repository import _subscription

BATCH = 5000


def plate(rng: random.Random) -> str:
    letters = "".join(rng.choice(string.ascii_uppercase) for _ in range(3))
    return f"{letters}{rng.randrange(1000, 9999)}"


def populate(platform: Platform, n: int, rng: random.Random) -> list[str]:
    """``n`` plate subscriptions of one user, inserted in bulk; their plates."""
    plates = [plate(rng) for _ in range(n)]
    now = datetime.now(UTC)
    for start in range(0, n, BATCH):
        rows, keys = [], []
        for i in range(start, min(n, start + BATCH)):
            sid = f"bench-{i:09d}"
            rows.append({"id": sid, "kind": "vehicle", "owner_user": "bench", "agency": "SSPC",
                         "desk": False, "purpose": "investigation", "label": plates[i],
                         "target": {"plate": plates[i]}, "created_at": now})  # fmt: skip
            keys.append({"kind": "plate", "value": plates[i], "subscription_id": sid})
        with begin_write(platform.engine) as conn:
            conn.execute(insert(subscriptions), rows)
            conn.execute(insert(subscription_keys), keys)
    return plates


def naive_matches(platform: Platform, event: RecordEvent) -> list[str]:
    """The baseline: every subscription read and compared, for each event."""
    wanted = set(key_candidates(event))
    out = []
    with platform.engine.connect() as conn:
        query = select(
            subscriptions,
            subscription_keys.c.kind.label("key_kind"),
            subscription_keys.c.value.label("key_value"),
        ).join(subscription_keys, subscription_keys.c.subscription_id == subscriptions.c.id)
        hits = [row for row in conn.execute(query) if (row.key_kind, row.key_value) in wanted]
        if not hits:
            return []
        record = reader.get_record(conn, event.record_id)
        recipients = Recipients(conn)
        for row in hits:
            sub = _subscription(row)
            principal = recipients.user(sub.owner_user)
            if record and principal and may_learn(principal, record, sub.purpose):  # type: ignore[arg-type]
                out.append(sub.id)
    return out


def timed(fn: Callable[[RecordEvent], object], events: list[RecordEvent]) -> list[float]:
    times = []
    for event in events:
        started = time.perf_counter()
        fn(event)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    smoke = is_smoke()
    n = 2_000 if smoke else args.subscriptions
    n_events = 30 if smoke else args.events
    rng = random.Random(11)
    with temp_dir() as tmp:
        platform = Platform.open(Settings(data_dir=tmp, secret_key=None))
        RecordService(platform).submit(LOCAL_ADMIN, "agency", {
            "source_ref": "SSPC", "agency": "SSPC", "name": "SSPC", "level": "federal",
            "kind": "police"})  # fmt: skip
        agencies.forget_agencies()
        with begin_write(platform.engine) as conn:
            create_user(conn, "bench", "Bench", "SSPC", [Role.ANALYST], "x" * 16, Marking.SECRET)
        plates = populate(platform, n, rng)
        service = RecordService(platform)
        # Half the events match a subscription, half do not (the common case).
        for i in range(n_events):
            value = rng.choice(plates) if i % 2 == 0 else plate(rng)
            body = {"source_ref": f"V{i}", "agency": "SSPC", "plate": value}
            service.submit(LOCAL_ADMIN, "vehicle", body)
        with platform.engine.connect() as conn:
            rows = conn.execute(select(outbox).where(outbox.c.record_type == "vehicle"))
            events = [RecordEvent.from_row(row._mapping) for row in rows]

        def indexed(event: RecordEvent) -> list[str]:
            return [o.notification.ref_id or "" for o in matcher.notices_for(platform, event)]

        for event in events[:5]:  # same answers, and warm caches for both
            assert sorted(indexed(event)) == sorted(naive_matches(platform, event))
        ours = timed(indexed, events)
        naive = timed(lambda event: naive_matches(platform, event), events)
        _, handle = matcher.subscriptions_consumer(platform)
        handler = timed(handle, events)
        platform.close()
    held = {"records": len(events) + 1, "subscriptions": n}
    write_results(
        "subscriptions",
        {
            "subscription_match_p50_ms": metric(
                percentile(ours, 50),
                "ms",
                percentile(naive, 50),
                "scan of every subscription",
                **held,
            ),
            "subscription_match_p99_ms": metric(
                percentile(ours, 99),
                "ms",
                percentile(naive, 99),
                "scan of every subscription",
                **held,
            ),
            "subscription_handler_p50_ms": metric(percentile(handler, 50), "ms", **held),
            "subscription_handler_p99_ms": metric(percentile(handler, 99), "ms", **held),
        },
        smoke,
        subscriptions=n,
        events=len(events),
        records=len(events) + 1,
        engine="sqlite",
    )


if __name__ == "__main__":
    main()
