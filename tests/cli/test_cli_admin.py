"""``plataforma admin``: agencies, users and keys from the command line, each act audited."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from plataforma.cli import admin as admin_cli
from plataforma.context import Platform
from plataforma.security.audit_verify import AuditQuery, search_audit
from plataforma.security.authn import AuthError, login
from plataforma.security.identity import find_api_key
from plataforma.security.passwords import current_totp
from plataforma.settings import Mode, Settings
from plataforma.store.tables import api_keys

runner = CliRunner()
STRONG = "vela azul sobre el lago 42"


@pytest.fixture
def cli(world: Platform, monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """Run ``plataforma admin ...`` against the test platform's store."""
    monkeypatch.setattr(admin_cli, "open_platform", lambda: Platform.open(world.settings))

    def invoke(*args: str, stdin: str | None = None) -> object:
        return runner.invoke(admin_cli.app, list(args), input=stdin)

    return invoke


def _admin_events(platform: Platform) -> list[dict[str, object]]:
    platform.audit.sync()
    with platform.engine.connect() as conn:
        return search_audit(conn, AuditQuery(action="admin", limit=1000))


def test_agency_add_and_list(cli: Callable[..., object], world: Platform) -> None:
    added = cli(
        "agency",
        "add",
        "POL-ZAP",
        "--name",
        "Policía de Zapopan",
        "--level",
        "municipal",
        "--kind",
        "police",
        "--state",
        "Jalisco",
        "--municipality",
        "Zapopan",
    )
    assert added.exit_code == 0, added.output  # type: ignore[attr-defined]
    listing = cli("agency", "list")
    assert "POL-ZAP" in listing.output and "14120" in listing.output  # type: ignore[attr-defined]
    operations = {e["detail"]["operation"] for e in _admin_events(world)}  # type: ignore[index]
    assert {"agency.add", "agency.list"} <= operations


def test_agency_without_state_is_refused(cli: Callable[..., object]) -> None:
    reply = cli("agency", "add", "FGE-X", "--name", "X", "--level", "state", "--kind", "police")
    assert reply.exit_code == 1  # type: ignore[attr-defined]
    assert "state" in reply.output  # type: ignore[attr-defined]


def test_user_add_prints_secret_once_and_the_user_can_log_in(
    cli: Callable[..., object], world: Platform
) -> None:
    reply = cli(
        "user",
        "add",
        "ana",
        "--agency",
        "FGE-JAL",
        "--role",
        "prosecutor",
        "--role",
        "analyst",
        "--clearance",
        "CONFIDENTIAL",
        "--restricted",
        "gang,juvenile",
        "--full-name",
        "Ana Prueba",
        "--password-stdin",
        stdin=STRONG + "\n",
    )
    output = reply.output  # type: ignore[attr-defined]
    assert reply.exit_code == 0, output  # type: ignore[attr-defined]
    secret = re.search(r"TOTP secret \(shown once\): (\w+)", output)
    assert secret and "otpauth://totp/" in output
    done = login(world, "ana", STRONG, current_totp(secret.group(1)), "127.0.0.1")
    assert done.principal.agency == "FGE-JAL"
    assert {str(r) for r in done.principal.roles} == {"prosecutor", "analyst"}
    assert {str(r) for r in done.principal.restricted_access} == {"gang", "juvenile"}
    listing = cli("user", "list", "--agency", "FGE-JAL").output  # type: ignore[attr-defined]
    assert "ana" in listing and secret.group(1) not in listing
    event = next(e for e in _admin_events(world) if e["detail"]["operation"] == "user.add")  # type: ignore[index]
    assert (event["actor"], event["outcome"], event["purpose"]) == (
        "local-admin",
        "ok",
        "administration",
    )
    assert event["detail"]["target"] == "ana"  # type: ignore[index]


def test_user_add_prompts_for_the_password(cli: Callable[..., object], world: Platform) -> None:
    reply = cli(
        "user",
        "add",
        "beto",
        "--agency",
        "SSPC",
        "--role",
        "officer",
        stdin=f"{STRONG}\n{STRONG}\n",
    )
    assert reply.exit_code == 0, reply.output  # type: ignore[attr-defined]


def test_user_add_refuses_unknown_agency_and_audits_the_refusal(
    cli: Callable[..., object], world: Platform
) -> None:
    reply = cli(
        "user",
        "add",
        "carla",
        "--agency",
        "NOPE",
        "--role",
        "officer",
        "--password-stdin",
        stdin=STRONG + "\n",
    )
    assert reply.exit_code == 1  # type: ignore[attr-defined]
    assert "agency" in reply.output  # type: ignore[attr-defined]
    denied = [e for e in _admin_events(world) if e["outcome"] == "denied"]
    assert denied and denied[0]["detail"]["target"] == "carla"  # type: ignore[index]


def test_disable_enable_and_unlock(cli: Callable[..., object], world: Platform) -> None:
    from conftest import PASSWORD, TOTP_SECRET, forget_totp_use

    assert cli("user", "disable", "officer").exit_code == 0  # type: ignore[attr-defined]
    with pytest.raises(AuthError):
        login(world, "officer", PASSWORD, current_totp(TOTP_SECRET), None)
    assert cli("user", "enable", "officer").exit_code == 0  # type: ignore[attr-defined]
    login(world, "officer", PASSWORD, current_totp(TOTP_SECRET), None)
    forget_totp_use(world, "officer")  # the next logins stand for later 30 s steps
    for _ in range(5):
        with pytest.raises(AuthError):
            login(world, "officer", "wrong password!!", current_totp(TOTP_SECRET), None)
    with pytest.raises(AuthError, match="locked"):
        login(world, "officer", PASSWORD, current_totp(TOTP_SECRET), None)
    assert cli("user", "unlock", "officer").exit_code == 0  # type: ignore[attr-defined]
    login(world, "officer", PASSWORD, current_totp(TOTP_SECRET), None)
    assert cli("user", "unlock", "nobody").exit_code == 1  # type: ignore[attr-defined]


def test_key_create_list_revoke(cli: Callable[..., object], world: Platform) -> None:
    reply = cli("key", "create", "--agency", "POL-GDL", "--name", "cad", "--role", "officer")
    assert reply.exit_code == 0, reply.output  # type: ignore[attr-defined]
    key = re.search(r"API key \(shown once\): (\S+)", reply.output).group(1)  # type: ignore[attr-defined, union-attr]
    with world.engine.connect() as conn:
        assert find_api_key(conn, key) is not None
        stored = conn.execute(select(api_keys.c.key_hash)).scalars().all()
    assert key not in stored
    listing = cli("key", "list").output  # type: ignore[attr-defined]
    assert key[:10] in listing and key not in listing
    assert cli("key", "revoke", key[:10]).exit_code == 0  # type: ignore[attr-defined]
    with world.engine.connect() as conn:
        assert find_api_key(conn, key) is None
    assert cli("key", "revoke", key[:10]).exit_code == 1  # type: ignore[attr-defined]
    operations = [e["detail"]["operation"] for e in _admin_events(world)]  # type: ignore[index]
    assert {"key.create", "key.list", "key.revoke"} <= set(operations)


def _production(world: Platform, tmp_path: Path) -> Settings:
    url = world.settings.database_url or world.settings.resolved_database_url
    return Settings(
        mode=Mode.PRODUCTION,
        data_dir=world.settings.data_dir,
        database_url=url,
        secret_key=secrets.token_urlsafe(48),
        audit_checkpoint_path=world.settings.checkpoint_path,
    )


def test_production_refuses_demo_accounts_and_weak_passwords(
    world: Platform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = _production(world, tmp_path)
    monkeypatch.setattr(admin_cli, "open_platform", lambda: Platform.open(settings))

    def add(username: str, password: str) -> object:
        args = ["user", "add", username, "--agency", "SSPC", "--role", "officer"]
        return runner.invoke(admin_cli.app, [*args, "--password-stdin"], input=password + "\n")

    demo = add("demo-officer", STRONG)
    assert demo.exit_code == 1 and "demo" in demo.output  # type: ignore[attr-defined]
    for weak in ("short pass 1", "password password 2024", "rafael-rafael-77777"):
        reply = add("rafael", weak)
        assert reply.exit_code == 1, weak  # type: ignore[attr-defined]
        assert "password" in reply.output  # type: ignore[attr-defined]
    assert add("rafael", STRONG).exit_code == 0
    reasons = [str(e["detail"].get("reason")) for e in _admin_events(world)]  # type: ignore[attr-defined]
    assert any("demo accounts" in r for r in reasons)


def test_development_allows_what_production_refuses(cli: Callable[..., object]) -> None:
    reply = cli(
        "user",
        "add",
        "demo-visitor",
        "--agency",
        "SSPC",
        "--role",
        "analyst",
        "--password-stdin",
        stdin="demo password 1\n",
    )
    assert reply.exit_code == 0, reply.output  # type: ignore[attr-defined]


@pytest.mark.parametrize("secret_key", [None, "short", "change-me-" + "x" * 40])
def test_production_settings_refuse_default_secrets(secret_key: str | None, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Settings(
            mode=Mode.PRODUCTION,
            data_dir=tmp_path,
            database_url="postgresql://db/plataforma",
            secret_key=secret_key,
        )
    Settings(
        mode=Mode.PRODUCTION,
        data_dir=tmp_path,
        database_url="postgresql://db/plataforma",
        secret_key=secrets.token_urlsafe(48),
    )


def _stored_agency(platform: Platform, code: str) -> tuple[int, dict[str, object]]:
    from plataforma.store import reader

    with platform.engine.connect() as conn:
        entry = reader.get_by_source(conn, code, "agency", code)
    assert entry is not None
    return entry.version, entry.data


def test_adding_an_existing_agency_is_refused_and_changes_nothing(
    cli: Callable[..., object], world: Platform
) -> None:
    """Defect 5: the README's example replaced the demo agency with version 2."""
    before = _stored_agency(world, "FGE-JAL")
    reply = cli(
        "agency", "add", "FGE-JAL", "--name", "Otra", "--level", "federal", "--kind", "police"
    )
    assert reply.exit_code == 1, reply.output  # type: ignore[attr-defined]
    output = " ".join(reply.output.split())  # type: ignore[attr-defined]
    assert "FGE-JAL already exists" in output and "agency update FGE-JAL" in output
    assert _stored_agency(world, "FGE-JAL") == before
    refused = [
        e
        for e in _admin_events(world)
        if e["detail"]["operation"] == "agency.add" and e["outcome"] == "denied"  # type: ignore[index]
    ]
    assert refused and refused[-1]["detail"]["target"] == "FGE-JAL"  # type: ignore[index]


def test_agency_update_changes_only_the_given_fields_and_is_audited(
    cli: Callable[..., object], world: Platform
) -> None:
    version, data = _stored_agency(world, "FGE-JAL")
    reply = cli("agency", "update", "FGE-JAL", "--name", "Fiscalía del Estado de Jalisco")
    assert reply.exit_code == 0, reply.output  # type: ignore[attr-defined]
    assert "updated (version 2)" in reply.output  # type: ignore[attr-defined]
    new_version, new_data = _stored_agency(world, "FGE-JAL")
    assert new_version == version + 1
    assert new_data == {**data, "name": "Fiscalía del Estado de Jalisco"}
    event = next(
        e
        for e in reversed(_admin_events(world))
        if e["detail"]["operation"] == "agency.update"  # type: ignore[index]
    )
    assert event["outcome"] == "ok" and event["detail"]["changed"] == ["name"]  # type: ignore[index]
    again = cli("agency", "update", "FGE-JAL", "--name", "Fiscalía del Estado de Jalisco")
    assert "unchanged" in again.output  # type: ignore[attr-defined]


def test_agency_update_refuses_unknown_codes_and_empty_changes(
    cli: Callable[..., object], world: Platform
) -> None:
    missing = cli("agency", "update", "NOPE", "--name", "X")
    assert missing.exit_code == 1 and "NOPE" in missing.output  # type: ignore[attr-defined]
    assert cli("agency", "update", "SSPC").exit_code == 2  # type: ignore[attr-defined]
    bad = cli("agency", "update", "POL-GDL", "--level", "state", "--state", "Atlantida")
    assert bad.exit_code == 1 and "state" in bad.output  # type: ignore[attr-defined]
    assert _stored_agency(world, "POL-GDL")[0] == 1
