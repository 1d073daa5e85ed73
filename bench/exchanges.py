"""Hit confirmations and agency messages in-process: what one step costs, and a broadcast.

Ours, each a durable transaction with its thread step, audit event and inbox notification:
a confirmation request (inquiry and hit checked), its answer, a message to one agency, a
message to every agency of the synthetic directory (290), and the deadline job over a batch
of overdue confirmations. Baseline in the same run: one API-style record write through the
records service (validate, policy, write, audit, outbox), the platform's unit of durable work.

    python bench/exchanges.py [--rounds 300] [--database-url POSTGRES_SERVER_URL] [--smoke]

Results go to ``exchanges.json`` (SQLite) or ``exchanges_postgresql.json``.
"""

from __future__ import annotations

import argparse
import time
from datetime import timedelta
from typing import Any

from _common import is_smoke, metric, percentile, write_results
from _server import temp_dir
from bulk_import import fresh_postgres
from sqlalchemy import func, insert, select

from plataforma.context import Platform
from plataforma.exchange.agency_desks import AddressKind
from plataforma.exchange.boxes import utc_now
from plataforma.exchange.confirmation_deadlines import check_deadlines
from plataforma.exchange.confirmation_model import Answer
from plataforma.exchange.confirmations import ConfirmationService
from plataforma.exchange.message_model import MessageKind, MessagePriority
from plataforma.exchange.messages import Draft, MessageService
from plataforma.model.envelope import Marking
from plataforma.realtime.inbox import Priority
from plataforma.records.service import RecordService
from plataforma.security.principal import LOCAL_ADMIN, Principal, Role
from plataforma.settings import Settings
from plataforma.store.ids import uuid7
from plataforma.store.tables import inquiries, records
from plataforma.synth.agencies import directory

OFFICER = Principal(
    "oficial", "POL-14039", frozenset({Role.OFFICER}), Marking.SBU, "municipal", "14"
)
FISCAL = Principal("fiscal", "FGE-JAL", frozenset({Role.PROSECUTOR}), Marking.SECRET, "state", "14")


def incident(n: int) -> dict[str, Any]:
    return {
        "source_ref": f"B-{n}",
        "agency": "FGE-JAL",
        "folio": f"F-{n}",
        "occurred_at": "2024-03-01T10:00:00",
        "place": {"state": "14"},
        "crime_types": ["robo_a_negocio"],
        "narrative": "hechos",
    }


def timed(fn: Any, *args: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    out = fn(*args)
    return (time.perf_counter() - started) * 1000, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--database-url")
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    rounds = 10 if is_smoke() else args.rounds
    if args.database_url:
        # A database of its own on the server, dropped at the end (never the one named).
        platform, close = fresh_postgres(args.database_url)
        try:
            run(platform, rounds)
        finally:
            close()
        return
    with temp_dir() as tmp:
        platform = Platform.open(Settings(data_dir=tmp / "data"))
        try:
            run(platform, rounds)
        finally:
            platform.close()


def run(platform: Platform, rounds: int) -> None:
    service = RecordService(platform)
    for row in directory().rows:
        service.submit(LOCAL_ADMIN, "agency", dict(row))
    baseline, ids = [], []
    for n in range(rounds):
        ms, result = timed(service.submit, LOCAL_ADMIN, "incident", incident(n))
        baseline.append(ms)
        ids.append(result.id)
    with platform.engine.begin() as conn:
        inquiry_ids = [uuid7() for _ in ids]
        conn.execute(
            insert(inquiries),
            [
                {"id": q, "at": utc_now(), "actor": "oficial", "agency": OFFICER.agency,
                 "purpose": "patrol", "kind": "person", "query": {}, "hits": [{"record_id": r}]}
                for q, r in zip(inquiry_ids, ids, strict=True)
            ],
        )  # fmt: skip
    confirmations = ConfirmationService(platform)
    asks, answers, made = [], [], []
    for inquiry, record in zip(inquiry_ids, ids, strict=True):
        ms, item = timed(confirmations.request, OFFICER, inquiry, record, Priority.URGENT, "")
        asks.append(ms)
        made.append(item)
    for item in made[: len(made) // 2]:
        ms, _ = timed(confirmations.answer, FISCAL, item.id, Answer.CONFIRMED, "vigente", None)
        answers.append(ms)
    overdue = len(made) - len(made) // 2
    late = made[-1].due_at + timedelta(seconds=1)
    job_ms, reminded = timed(check_deadlines, platform, late)
    assert reminded == overdue, (reminded, overdue)
    messages = MessageService(platform)
    one, everyone = [], []
    for n in range(max(3, rounds // 10)):
        draft = Draft(MessageKind.BOLO, MessagePriority.URGENT, Marking.SBU,
                      AddressKind.AGENCY, "FGE-JAL", f"BOLO {n}", "texto")  # fmt: skip
        one.append(timed(messages.send, OFFICER, draft)[0])
        broadcast = Draft(MessageKind.BOLO, MessagePriority.FLASH, Marking.SBU,
                          AddressKind.ALL, None, f"BOLO {n}", "texto")  # fmt: skip
        everyone.append(timed(messages.send, OFFICER, broadcast)[0])
    with platform.engine.connect() as conn:
        held = conn.execute(select(func.count()).select_from(records)).scalar_one()
    write_base = percentile(baseline, 50)
    name = "one record write (records service)"
    agencies = len(directory().rows) - 1
    engine = platform.engine.dialect.name
    write_results(
        "exchanges" if engine == "sqlite" else f"exchanges_{engine}",
        {
            "confirmation_request_p50_ms": metric(percentile(asks, 50), "ms", write_base, name),
            "confirmation_request_p99_ms": metric(
                percentile(asks, 99), "ms", percentile(baseline, 99), name
            ),
            "confirmation_answer_p50_ms": metric(percentile(answers, 50), "ms", write_base, name),
            "confirmation_deadline_job_per_overdue_ms": metric(
                job_ms / overdue, "ms", write_base, name, overdue=overdue
            ),
            "message_one_agency_p50_ms": metric(percentile(one, 50), "ms", write_base, name),
            "message_all_agencies_p50_ms": metric(
                percentile(everyone, 50),
                "ms",
                percentile(one, 50),
                "message to one agency",
                recipients=agencies,
            ),
        },
        records=held,
        engine=engine,
        rounds=rounds,
    )


if __name__ == "__main__":
    main()
