"""Demo mode's fixed code 000000 lets in the accounts ``plataforma demo`` made, and no other."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from conftest import PASSWORD, add_agency, add_user
from plataforma.cli.demo_setup import DEMO_TOTP_CODE, _ensure_accounts
from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.security.authn import AuthError, login
from plataforma.security.identity import create_user, get_user
from plataforma.security.principal import Role
from plataforma.settings import Mode
from plataforma.store.tables import users


@pytest.fixture
def both_kinds(platform: Platform) -> Iterator[Platform]:
    """An administrator-made officer and a demo-made one, in the same store."""
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    add_user(platform, "officer", "POL-GDL", ["officer"])
    with platform.engine.begin() as conn:
        create_user(
            conn, "demo-officer", "Demo", "POL-GDL", [Role.OFFICER], PASSWORD, demo_account=True
        )
    yield platform


def _in_mode(platform: Platform, mode: Mode, monkeypatch: pytest.MonkeyPatch) -> Platform:
    monkeypatch.setattr(platform, "settings", platform.settings.model_copy(update={"mode": mode}))
    return platform


def test_demo_mode_lets_only_demo_accounts_in_with_the_fixed_code(
    both_kinds: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = _in_mode(both_kinds, Mode.DEMO, monkeypatch)
    assert DEMO_TOTP_CODE == "000000"
    assert login(demo, "demo-officer", PASSWORD, "000000", None).principal.agency == "POL-GDL"
    with pytest.raises(AuthError):
        login(demo, "officer", PASSWORD, "000000", None)
    with pytest.raises(AuthError):  # the code replaces the second factor, not the password
        login(demo, "demo-officer", "not the password", "000000", None)


@pytest.mark.parametrize("mode", [Mode.DEVELOPMENT, Mode.PRODUCTION])
def test_outside_demo_mode_nobody_gets_in_with_the_fixed_code(
    both_kinds: Platform, mode: Mode, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = _in_mode(both_kinds, mode, monkeypatch)
    for username in ("officer", "demo-officer"):
        with pytest.raises(AuthError):
            login(other, username, PASSWORD, "000000", None)


def test_only_the_demo_command_flags_accounts(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(platform, "officer", "POL-GDL", ["officer"])
    with platform.engine.begin() as conn:  # an earlier demo's account, from before the flag
        create_user(conn, "demo-analyst", "Demo", "SSPC", [Role.ANALYST], PASSWORD, Marking.SECRET)
    _ensure_accounts(platform, PASSWORD, adopt=False)
    with platform.engine.connect() as conn:
        assert get_user(conn, "demo-officer").demo_account  # type: ignore[union-attr]
        assert not get_user(conn, "demo-analyst").demo_account  # type: ignore[union-attr]
    _ensure_accounts(platform, PASSWORD, adopt=True)  # rerun over this data dir's demo
    with platform.engine.connect() as conn:
        flagged = dict(conn.execute(select(users.c.username, users.c.demo_account)).all())
    assert flagged.pop("officer") is False
    assert set(flagged.values()) == {True} and "demo-analyst" in flagged
