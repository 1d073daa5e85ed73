"""Shared fixtures: a platform on SQLite and, where configured, on PostgreSQL.

``PLATAFORMA_TEST_DATABASE_URL`` names a PostgreSQL server; each test session creates its own
database there and drops it at the end. Without the variable the PostgreSQL variants skip with
that reason; with it they must run.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.security import agencies, identity
from plataforma.settings import Mode, Settings
from plataforma.store.tables import metadata

PG_URL = os.environ.get("PLATAFORMA_TEST_DATABASE_URL")
NATS_URL = os.environ.get("PLATAFORMA_TEST_NATS_URL")
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "mexico"


def _pg_url(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1]


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    if not PG_URL:
        pytest.skip("PostgreSQL not configured: set PLATAFORMA_TEST_DATABASE_URL to run this")
    name = f"plataforma_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(_pg_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = _pg_url(PG_URL).rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def make_settings(
    tmp_path: Path, database_url: str | None = None, mode: Mode = Mode.DEVELOPMENT
) -> Settings:
    return Settings(
        mode=mode, data_dir=tmp_path / "data", database_url=database_url, secret_key=None
    )


@pytest.fixture(params=["sqlite", "postgres"])
def platform(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Platform]:
    """A fresh, migrated platform on each backend."""
    url = None
    if request.param == "postgres":
        url = request.getfixturevalue("pg_database")
    opened = Platform.open(make_settings(tmp_path, url))
    if request.param == "postgres":
        with opened.engine.begin() as conn:
            names = ", ".join(t.name for t in metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
    agencies.forget_agencies()
    yield opened
    opened.close()


@pytest.fixture
def sqlite_platform(tmp_path: Path) -> Iterator[Platform]:
    """SQLite only, for tests about the embedded default itself."""
    opened = Platform.open(make_settings(tmp_path))
    agencies.forget_agencies()
    yield opened
    opened.close()


CLEARANCE_SECRET = Marking.SECRET


# Argon2 is slow on purpose (~0.1 s a hash); the fixtures create the same users with the same
# password in every test, so one hash per password is reused. Verification stays real.
identity.hash_password = functools.lru_cache(maxsize=16)(identity.hash_password)

PASSWORD = "correct horse battery"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # 160 bits: pyotp refuses < 112


def add_agency(
    platform: Platform,
    code: str,
    level: str = "federal",
    kind: str = "police",
    state: str | None = None,
) -> None:
    from plataforma.records.service import RecordService
    from plataforma.security.principal import LOCAL_ADMIN

    payload = {
        "source_ref": code,
        "agency": code,
        "name": f"Agencia {code}",
        "level": level,
        "kind": kind,
    }
    if state:
        payload["state"] = state
    RecordService(platform).submit(LOCAL_ADMIN, "agency", payload)
    agencies.forget_agencies()


def add_user(
    platform: Platform,
    username: str,
    agency: str,
    roles: list[str],
    clearance: Marking = Marking.SBU,
    restricted: tuple[str, ...] = (),
) -> None:
    from plataforma.model.envelope import RestrictedFile
    from plataforma.security.identity import create_user
    from plataforma.security.principal import Role
    from plataforma.store.engine import begin_write

    # begin_write: create_user reads before it writes, and a background writer (the outbox
    # relay, the audit chainer) committing in between would make SQLite refuse the upgrade.
    with begin_write(platform.engine) as conn:
        create_user(
            conn,
            username,
            username.title(),
            agency,
            [Role(r) for r in roles],
            PASSWORD,
            clearance,
            [RestrictedFile(r) for r in restricted],
            totp_secret=TOTP_SECRET,
        )


def add_two_desks(platform: Platform) -> None:
    """Two municipal agencies of one state, each with an officer: ``ana`` of POL-GDL (SBU)
    and ``zoe`` of POL-ZAP (SECRET); for tests of what one agency must not see of another's."""
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    add_agency(platform, "POL-ZAP", "municipal", "police", "14")
    add_user(platform, "ana", "POL-GDL", ["officer"], Marking.SBU)
    add_user(platform, "zoe", "POL-ZAP", ["officer"], Marking.SECRET)


@pytest.fixture
def world(platform: Platform) -> Platform:
    """Three agencies (federal, Jalisco state, Guadalajara municipal) and users per role."""
    add_agency(platform, "SSPC", "federal", "police")
    add_agency(platform, "FGE-JAL", "state", "prosecutor", "14")
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    add_user(platform, "clerk", "POL-GDL", ["records_clerk"])
    add_user(platform, "officer", "POL-GDL", ["officer"])
    add_user(platform, "analyst", "SSPC", ["analyst"], Marking.SECRET)
    add_user(platform, "fiscal", "FGE-JAL", ["prosecutor"], Marking.CONFIDENTIAL)
    add_user(platform, "auditor", "SSPC", ["auditor"])
    add_user(platform, "admin", "SSPC", ["administrator"], Marking.SECRET)
    return platform


def forget_totp_use(platform: Platform, username: str) -> None:
    """Let ``username`` use the current TOTP code again, as if the next 30 s step had come.

    A code is accepted once (RFC 6238 §5.2), but tests log the same user in many times within
    one step. tests/security/test_totp_replay.py tests the guard itself, without this.
    """
    from sqlalchemy import update

    from plataforma.store.tables import users

    with platform.engine.begin() as conn:
        conn.execute(update(users).where(users.c.username == username).values(totp_last_step=None))


def token_for(client: object, username: str) -> dict[str, str]:
    """Headers carrying a fresh bearer token for ``username`` (password + current TOTP)."""
    from plataforma.security.passwords import current_totp

    forget_totp_use(client.app.state.platform, username)  # type: ignore[attr-defined]
    reply = client.post(  # type: ignore[attr-defined]
        "/api/v1/auth/token",
        json={"username": username, "password": PASSWORD, "totp": current_totp(TOTP_SECRET)},
    )
    assert reply.status_code == 200, reply.text
    return {"Authorization": f"Bearer {reply.json()['access_token']}"}


@pytest.fixture
def client(world: Platform) -> Iterator[object]:
    from fastapi.testclient import TestClient

    from plataforma.web.app import create_app

    with TestClient(create_app(world)) as test_client:
        yield test_client
