"""What ``plataforma demo`` prepares before it serves: data, agencies and one account per role.

Kept apart from the command so tests can prepare a small demo without starting a server.
A data directory that already holds a demo (``demo.json``) is reused rather than regenerated;
the accounts' password and TOTP secrets live in that file so a rerun can print them again.
They are demo credentials for a demo database of synthetic people; production refuses all this.
The accounts are flagged ``demo_account``: demo mode's fixed code 000000 lets only them in,
never an account an administrator added to the same store.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.security.agencies import forget_agencies
from plataforma.security.authn import DEMO_TOTP_CODE as DEMO_TOTP_CODE  # re-exported
from plataforma.security.identity import create_user, get_user, mark_demo_account
from plataforma.security.principal import LOCAL_ADMIN, Role
from plataforma.settings import Mode, Settings
from plataforma.store.tables import records
from plataforma.synth import generate, load_dataset
from plataforma.synth.agencies import directory

MARKER = "demo.json"
# (role, agency, clearance): each where that role works in life.
ACCOUNTS = (
    (Role.OFFICER, "POL-14039", Marking.SBU),
    (Role.RECORDS_CLERK, "POL-14039", Marking.SBU),
    (Role.ANALYST, "SSPC", Marking.SECRET),
    (Role.INTELLIGENCE_ANALYST, "SIC", Marking.SECRET),
    (Role.PROSECUTOR, "FGE-JAL", Marking.CONFIDENTIAL),
    (Role.SCREENING_OFFICER, "INM", Marking.SBU),
    (Role.SUPERVISOR, "SSP-JAL", Marking.CONFIDENTIAL),
    (Role.AUDITOR, "SSPC", Marking.SBU),
    (Role.ADMINISTRATOR, "SSPC", Marking.SECRET),
)


class DemoRefused(RuntimeError):
    """The demo must not run here (production mode)."""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    agency: str
    totp_secret: str


@dataclass(frozen=True)
class DemoInfo:
    password: str
    accounts: tuple[DemoAccount, ...]
    records: int
    reused: bool


def demo_settings(settings: Settings) -> Settings:
    """``settings`` switched to demo mode; production refuses with the reason."""
    if settings.mode is Mode.PRODUCTION:
        raise DemoRefused(
            "PLATAFORMA_MODE is production: the demo creates accounts with printed passwords "
            "and lets them in with the TOTP code 000000, which production never allows. "
            "Unset PLATAFORMA_MODE (or use a separate data dir) to run the demo."
        )
    return settings.model_copy(update={"mode": Mode.DEMO})


def _record_count(platform: Platform) -> int:
    with platform.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(records)).scalar_one())


def prepare_demo(
    platform: Platform,
    scale: int,
    seed: int,
    on_progress: Callable[[str, int], None] | None = None,
) -> DemoInfo:
    """Load the dataset (unless this data dir already holds it) and create the accounts."""
    if platform.settings.mode is not Mode.DEMO:
        raise DemoRefused("prepare_demo needs a platform opened in demo mode")
    marker = platform.settings.data_dir / MARKER
    saved = json.loads(marker.read_text()) if marker.exists() else {}
    reused = (
        saved.get("scale") == scale and saved.get("seed") == seed and _record_count(platform) > 0
    )
    if not reused:
        truth_dir = platform.settings.data_dir / "synth-truth"
        load_dataset(platform, LOCAL_ADMIN, generate(scale, seed), truth_dir, on_progress)
        forget_agencies()
    password = saved.get("password") or f"demo-{secrets.token_urlsafe(9)}"
    accounts = _ensure_accounts(platform, password, adopt=bool(saved))
    _write_marker(marker, scale, seed, password)
    return DemoInfo(password, accounts, _record_count(platform), reused)


def _ensure_accounts(platform: Platform, password: str, adopt: bool) -> tuple[DemoAccount, ...]:
    """Create the demo's accounts; with ``adopt`` (this data dir held a demo already) flag the
    ones an earlier version of the demo made before the ``demo_account`` flag existed."""
    known = {row["source_ref"] for row in directory().rows}
    accounts = []
    with platform.engine.begin() as conn:
        for role, agency, clearance in ACCOUNTS:
            assert agency in known, agency
            username = f"demo-{role.value.replace('_', '-')}"
            user = get_user(conn, username)
            if user is None:
                user = create_user(
                    conn,
                    username,
                    f"Demo {role.value}",
                    agency,
                    [role],
                    password,
                    clearance,
                    demo_account=True,
                )
            elif adopt and not user.demo_account:
                mark_demo_account(conn, username)
            accounts.append(DemoAccount(username, str(role), agency, user.totp_secret))
    return tuple(accounts)


def _write_marker(marker: Path, scale: int, seed: int, password: str) -> None:
    marker.write_text(json.dumps({"scale": scale, "seed": seed, "password": password}))
    marker.chmod(0o600)
