"""RFC 6238 §5.2: a TOTP code is accepted once, even by two logins racing with it.

Uses ``login`` directly (the HTTP and UI routes call it) and never ``forget_totp_use``: the
guard itself is under test here.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from conftest import PASSWORD, TOTP_SECRET, add_agency, add_user
from plataforma.context import Platform
from plataforma.security.authn import AuthError, login
from plataforma.security.passwords import TOTP_DRIFT_STEPS, totp_at
from plataforma.store.tables import audit_log, users

STEP_SECONDS = 30


@pytest.fixture
def officer(platform: Platform) -> Platform:
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    add_user(platform, "officer", "POL-GDL", ["officer"])
    return platform


def _current_step() -> int:
    """Now's time step, after waiting out the last seconds of a step so a test stays in one."""
    if STEP_SECONDS - time.time() % STEP_SECONDS < 12:
        time.sleep(STEP_SECONDS - time.time() % STEP_SECONDS + 0.1)
    return int(time.time() // STEP_SECONDS)


def _last_denial(platform: Platform) -> object:
    with platform.engine.connect() as conn:
        return conn.execute(
            select(audit_log.c.detail)
            .where(audit_log.c.action == "login", audit_log.c.outcome == "denied")
            .order_by(audit_log.c.id.desc())
            .limit(1)
        ).scalar_one()


def test_a_code_logs_in_once(officer: Platform) -> None:
    code = totp_at(TOTP_SECRET, _current_step())
    login(officer, "officer", PASSWORD, code, "10.0.0.1")
    with pytest.raises(AuthError, match="invalid credentials"):
        login(officer, "officer", PASSWORD, code, "10.0.0.2")
    assert _last_denial(officer)["reason"] == "second factor code already used"  # type: ignore[index]


def test_the_drift_window_stays_but_never_goes_back(officer: Platform) -> None:
    step = _current_step()
    assert TOTP_DRIFT_STEPS == 1
    # Codes outside the window never work.
    with pytest.raises(AuthError):
        login(officer, "officer", PASSWORD, totp_at(TOTP_SECRET, step + 2), None)
    # A phone a step behind is still let in, then one a step ahead ...
    login(officer, "officer", PASSWORD, totp_at(TOTP_SECRET, step - 1), None)
    login(officer, "officer", PASSWORD, totp_at(TOTP_SECRET, step + 1), None)
    with officer.engine.connect() as conn:
        last = conn.execute(select(users.c.totp_last_step)).scalar_one()
    assert last == step + 1
    # ... and then the current code, older than the last accepted one, is refused.
    with pytest.raises(AuthError):
        login(officer, "officer", PASSWORD, totp_at(TOTP_SECRET, step), None)


def test_a_replay_counts_towards_the_lockout(officer: Platform) -> None:
    code = totp_at(TOTP_SECRET, _current_step())
    login(officer, "officer", PASSWORD, code, None)
    for _ in range(officer.settings.lockout_failures):
        with pytest.raises(AuthError):
            login(officer, "officer", PASSWORD, code, None)
    assert _last_denial(officer)["locked"] is True  # type: ignore[index]


def test_two_logins_racing_with_one_code_let_one_in(officer: Platform) -> None:
    code = totp_at(TOTP_SECRET, _current_step())
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt() -> None:
        start.wait()
        try:
            login(officer, "officer", PASSWORD, code, None)
            outcomes.append("in")
        except AuthError:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["in", "refused"]
