"""A failed login takes as long whether the username exists or not (no account enumeration).

Before the fix an unknown username answered in ~2 ms and a wrong password in ~96 ms. The
samples are interleaved and compared by their medians, so a burst of load on a shared machine
moves both alike; the bounds (0.5..2) are far from the ~40x the leak showed.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from conftest import PASSWORD, add_agency, add_user
from plataforma.context import Platform
from plataforma.security.authn import AuthError, login
from plataforma.security.identity import clear_failures, set_active
from plataforma.store.tables import users

SAMPLES = 7


@pytest.fixture
def accounts(platform: Platform) -> Platform:
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    for name in ("officer", "locked", "retired"):
        add_user(platform, name, "POL-GDL", ["officer"])
    with platform.engine.begin() as conn:
        until = datetime.now(UTC) + timedelta(hours=1)
        conn.execute(update(users).where(users.c.username == "locked").values(locked_until=until))
        set_active(conn, "retired", False)
    return platform


def _failing_login(platform: Platform, username: str, password: str) -> float:
    """Seconds one refused login took; the failure count is reset so no lockout intervenes."""
    started = time.perf_counter()
    with pytest.raises(AuthError):
        login(platform, username, password, "123456", None)
    elapsed = time.perf_counter() - started
    with platform.engine.begin() as conn:
        clear_failures(conn, username)
    return elapsed


def test_unknown_locked_and_inactive_accounts_cost_what_a_wrong_password_costs(
    accounts: Platform,
) -> None:
    probes: dict[str, Callable[[], float]] = {
        "wrong password": lambda: _failing_login(accounts, "officer", "wrong password!"),
        "unknown user": lambda: _failing_login(accounts, "nobody-here", "wrong password!"),
        "locked account": lambda: _failing_login(accounts, "locked", PASSWORD),
        "inactive account": lambda: _failing_login(accounts, "retired", PASSWORD),
    }
    for probe in probes.values():  # warm up: connections, the dummy hash
        probe()
    times: dict[str, list[float]] = {name: [] for name in probes}
    for _ in range(SAMPLES):
        for name, probe in probes.items():
            times[name].append(probe())
    medians = {name: statistics.median(values) for name, values in times.items()}
    reference = medians.pop("wrong password")
    ratios = {name: round(value / reference, 2) for name, value in medians.items()}
    assert all(0.5 <= ratio <= 2.0 for ratio in ratios.values()), (ratios, reference)
