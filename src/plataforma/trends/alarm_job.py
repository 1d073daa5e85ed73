"""The periodic alarms job: evaluate the live series, store what fired, tell the subscribers.

One run (`run_alarm_job`, registered in `consumers.periodic_jobs`) reads which periods the
live counts touched since the last run, evaluates every plan of `live_alarms.PLANS`, and in
one transaction per grain stores the alarms (`alarm_store.save_alarms`) and delivers the
notices of the new ones with their audit events (`alarm_notices`), so an alarm is never
stored without its notices nor notified twice. Then it forgets the touched periods it read
(a period touched again meanwhile keeps its mark for the next run).

Safe to run in several processes at once: the alarms' natural key is unique, only the
process whose insert created an alarm notifies, and the notices' dedupe keys would stop a
second delivery anyway.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, and_, delete, or_, select

from plataforma.metrics import NOTICES, TRENDS_ALARM_SECONDS, TRENDS_ALARMS
from plataforma.realtime.inbox import announce, deliver_in
from plataforma.security.audit import append
from plataforma.security.services import PlatformServices
from plataforma.store.engine import begin_write
from plataforma.store.tables import trend_touched
from plataforma.trends.alarm_notices import alarm_notices
from plataforma.trends.alarm_store import save_alarms
from plataforma.trends.alarms import AlarmConfig
from plataforma.trends.live_alarms import PLANS, evaluate, periods_to_evaluate

__all__ = ["JOB_NAME", "JOB_SECONDS", "run_alarm_job"]

JOB_NAME = "trend_alarms"
#: How often the job runs. A minute keeps a surge's alarm within a minute of the incident
#: that completes it; a run over ~135k municipal series takes seconds (bench/trends_dashboard).
JOB_SECONDS = 60.0

log = logging.getLogger(__name__)


def run_alarm_job(
    platform: PlatformServices, today: dt.date | None = None, config: AlarmConfig | None = None
) -> int:
    """One run; returns how many alarms were new."""
    started = time.perf_counter()
    today = today or dt.datetime.now(dt.UTC).date()
    with platform.engine.connect() as conn:
        touched = conn.execute(select(trend_touched)).all()
    by_grain: dict[str, list[dt.date]] = defaultdict(list)
    for row in touched:
        by_grain[row.grain].append(row.period_start)
    new = 0
    for plan in PLANS:
        periods = periods_to_evaluate(plan.grain, today, by_grain.get(plan.grain.value, []))
        with platform.engine.connect() as conn:
            alarms = evaluate(conn, plan, periods, config)
        with begin_write(platform.engine) as conn:
            fresh = save_alarms(conn, plan.grain.value, alarms)
            outgoing = alarm_notices(conn, fresh)
            delivered = deliver_in(conn, [item.notification for item in outgoing])
            keys = {n.dedupe_key for n in delivered}
            append(conn, [i.audit for i in outgoing if i.notification.dedupe_key in keys])
        announce(platform.bus, delivered)
        for notification in delivered:
            NOTICES.labels(kind=str(notification.kind)).inc()
        TRENDS_ALARMS.labels(grain=plan.grain.value).inc(len(fresh))
        new += len(fresh)
    if touched:
        _forget(platform, touched)
    TRENDS_ALARM_SECONDS.observe(time.perf_counter() - started)
    return new


def _forget(platform: PlatformServices, touched: Sequence[Row[Any]]) -> None:
    """Delete the touched marks read at the start, unless touched again since."""
    c = trend_touched.c
    marks = [
        and_(
            c.grain == row.grain,
            c.period_start == row.period_start,
            c.touched_at <= row.touched_at,
        )
        for row in touched
    ]
    with begin_write(platform.engine) as conn:
        for start in range(0, len(marks), 200):
            conn.execute(delete(trend_touched).where(or_(*marks[start : start + 200])))
