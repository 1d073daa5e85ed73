"""The bus consumers the server runs: one list, in the composition layer.

Each capability that reacts to record events (subscriptions, delayed inquiry, entity
resolution, trend aggregation) adds its consumer here; the realtime runtime registers them
on the bus at start-up. Living above the domain packages, this module may import any of them.
"""

from __future__ import annotations

from collections.abc import Callable

from plataforma.exchange.confirmation_deadlines import check_deadlines
from plataforma.realtime.bus import Handler
from plataforma.resolve.consumer import person_index_consumer
from plataforma.security.services import PlatformServices
from plataforma.subscriptions.deconfliction import deconfliction_consumer
from plataforma.subscriptions.delayed import delayed_inquiry_consumer
from plataforma.subscriptions.matcher import subscriptions_consumer
from plataforma.trends.aggregator import trends_consumer
from plataforma.trends.alarm_job import JOB_NAME as TREND_ALARMS
from plataforma.trends.alarm_job import JOB_SECONDS as TREND_ALARM_SECONDS
from plataforma.trends.alarm_job import run_alarm_job

#: A periodic job: its name, how often it runs (seconds) and what it does; returns a count of
#: what it handled (for logs and metrics). Confirmation deadlines and retention sweeps are jobs.
PeriodicJob = tuple[str, float, Callable[[PlatformServices], int]]


def periodic_jobs() -> list[PeriodicJob]:
    """The jobs the realtime runtime runs on a timer, in every server process (they must be
    safe to run concurrently: claim work with a conditional update, as the inbox does)."""
    return [
        # Hit confirmations past their deadline: remind the owner, then its supervisors. Every
        # 15 s: an urgent deadline (10 min) is reminded at most 15 s late.
        ("confirmation_deadlines", 15.0, check_deadlines),
        # Alarms on the live trend counts (current periods and those late incidents touched).
        (TREND_ALARMS, TREND_ALARM_SECONDS, run_alarm_job),
    ]


def default_consumers(platform: PlatformServices) -> list[tuple[str, Handler]]:
    """``(durable consumer name, handler)`` pairs for ``platform``."""
    factories: list[Callable[[PlatformServices], tuple[str, Handler]]] = [
        subscriptions_consumer,
        delayed_inquiry_consumer,
        deconfliction_consumer,
        trends_consumer,
        person_index_consumer,
    ]
    return [factory(platform) for factory in factories]
