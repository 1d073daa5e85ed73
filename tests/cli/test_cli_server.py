"""``plataforma serve`` and ``plataforma demo``, without binding a port."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from plataforma.cli import server
from plataforma.cli.demo_setup import DemoRefused, demo_settings, prepare_demo
from plataforma.context import Platform
from plataforma.security.authn import AuthError, login
from plataforma.security.principal import Role
from plataforma.settings import Mode, Settings, get_settings


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("serve")(server.serve)
    app.command("demo")(server.demo)
    return app


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, dict[str, Any]]]:
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(server.uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    return calls


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.setenv("PLATAFORMA_DATA_DIR", str(tmp_path / "demo"))
    monkeypatch.delenv("PLATAFORMA_DATABASE_URL", raising=False)
    monkeypatch.delenv("PLATAFORMA_MODE", raising=False)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_serve_runs_uvicorn_on_the_app_factory(env: pytest.MonkeyPatch, served: list[Any]) -> None:
    result = CliRunner().invoke(_app(), ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    app, options = served[0]
    assert app == "plataforma.web.app:create_app"
    assert options == {"factory": True, "host": "127.0.0.1", "port": 8123, "workers": 1}


def test_serve_runs_several_workers_on_postgresql(
    env: pytest.MonkeyPatch, served: list[Any]
) -> None:
    env.setenv("PLATAFORMA_DATABASE_URL", "postgresql://db.example/plataforma")
    result = CliRunner().invoke(_app(), ["serve", "--workers", "3"])
    assert result.exit_code == 0, result.output
    assert served[0][1]["workers"] == 3


def test_serve_keeps_one_worker_on_the_embedded_store(
    env: pytest.MonkeyPatch, served: list[Any]
) -> None:
    result = CliRunner().invoke(_app(), ["serve", "--workers", "3"])
    assert result.exit_code == 0, result.output
    assert served[0][1]["workers"] == 1
    assert "PostgreSQL only" in result.output


def test_demo_refuses_production(env: pytest.MonkeyPatch, served: list[Any]) -> None:
    env.setenv("PLATAFORMA_MODE", "production")
    env.setenv("PLATAFORMA_SECRET_KEY", "s" * 40)
    env.setenv("PLATAFORMA_DATABASE_URL", "sqlite:///unused.db")
    result = CliRunner().invoke(_app(), ["demo", "--scale", "5"])
    assert result.exit_code == 2
    assert "production" in result.output
    assert not served
    production = Settings(mode=Mode.PRODUCTION, secret_key="s" * 40, database_url="sqlite://")
    with pytest.raises(DemoRefused):
        demo_settings(production)


def test_demo_loads_creates_accounts_prints_them_and_serves(
    env: pytest.MonkeyPatch, served: list[Any]
) -> None:
    result = CliRunner().invoke(_app(), ["demo", "--scale", "30", "--port", "8124"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8124/ui/" in result.output
    for role in Role:
        assert f"demo-{role.value.replace('_', '-')}" in result.output
    assert served and served[0][1]["port"] == 8124
    rerun = CliRunner().invoke(_app(), ["demo", "--scale", "30", "--port", "8124"])
    assert rerun.exit_code == 0, rerun.output
    assert "reused" in rerun.output


def test_demo_accounts_log_in_with_the_documented_code(tmp_path: Path) -> None:
    settings = demo_settings(Settings(data_dir=tmp_path / "d"))
    platform = Platform.open(settings)
    try:
        info = prepare_demo(platform, 10, 1)
        assert {a.role for a in info.accounts} == {str(r) for r in Role}
        officer = next(a for a in info.accounts if a.role == "officer")
        session = login(platform, officer.username, info.password, "000000", "127.0.0.1")
        assert session.principal.agency == officer.agency
        with pytest.raises(AuthError):
            login(platform, officer.username, "wrong password!", "000000", "127.0.0.1")
        again = prepare_demo(platform, 10, 1)
        assert again.reused and again.password == info.password
    finally:
        platform.close()
