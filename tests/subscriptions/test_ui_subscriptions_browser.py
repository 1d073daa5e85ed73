"""Headless chromium: a supervisor follows a plate and a record, sees them listed, deletes one."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest
from subs_support import two_agencies

from conftest import PASSWORD, TOTP_SECRET
from plataforma.context import Platform
from plataforma.records.service import RecordService
from plataforma.security.passwords import current_totp
from plataforma.security.principal import LOCAL_ADMIN


def _browser_helpers() -> object:
    """tests/web/test_ui_browser.py's launch arguments and port helper (one definition)."""
    path = Path(__file__).resolve().parents[1] / "web" / "test_ui_browser.py"
    spec = importlib.util.spec_from_file_location("_ui_browser", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HELPERS = _browser_helpers()
CHROMIUM: Path = HELPERS.CHROMIUM  # type: ignore[attr-defined]
pytestmark = HELPERS.pytestmark  # type: ignore[attr-defined]  # browser mark, skip without chromium


@pytest.fixture
def server(sqlite_platform: Platform) -> Iterator[tuple[str, str]]:
    two_agencies(sqlite_platform)
    record = RecordService(sqlite_platform).submit(
        LOCAL_ADMIN, "vehicle", {"source_ref": "V1", "agency": "POL-GDL", "plate": "JAL123A"}
    )
    with HELPERS.serving(sqlite_platform) as url:  # type: ignore[attr-defined]
        yield url, record.id


def test_browser_follows_a_plate_and_a_record_and_deletes_one(server: tuple[str, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, record_id = server
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=HELPERS.CHROMIUM_ARGS,  # type: ignore[attr-defined]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="es-MX")
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        try:
            page.goto(f"{url}/ui/login")
            page.fill("#username", "gdl_conf")
            page.fill("#password", PASSWORD)
            page.fill("#totp", current_totp(TOTP_SECRET))
            page.click("button[type=submit]")
            page.click("nav >> text=Suscripciones")
            expect(page.get_by_role("heading", name="Suscripciones", exact=True)).to_be_visible()
            expect(page.locator("#subscriptions")).to_contain_text("Aún no sigue nada.")

            form = page.locator("#form-vehicle")
            form.locator("input[name=plate]").fill("jal-123-a")
            form.locator("input[name=label]").fill("Tsuru del asalto")
            form.locator("select[name=purpose]").select_option("investigation")
            form.get_by_role("button", name="Suscribirse").click()
            expect(page.get_by_role("status")).to_have_text("Suscripción creada.")
            expect(page.locator("#subscriptions")).to_contain_text("Tsuru del asalto")

            page.goto(f"{url}/ui/records/{record_id}?purpose=investigation")
            page.get_by_role("button", name="Suscribirse a este registro").click()
            expect(page.locator("#subscriptions tbody tr")).to_have_count(2)
            expect(
                page.locator(f'#subscriptions a[href="/ui/records/{record_id}"]')
            ).to_be_visible()

            page.locator("#subscriptions tbody tr").first.get_by_role(
                "button", name="Eliminar"
            ).click()
            expect(page.locator("#subscriptions tbody tr")).to_have_count(1)
            expect(page.locator("#subscriptions")).not_to_contain_text("Tsuru del asalto")

            form = page.locator("#form-person")
            form.locator("input[name=curp]").fill("SAIR840719HJCLBM07")
            form.get_by_role("button", name="Suscribirse").click()
            expect(page.locator("#subscription-errors")).to_contain_text("CURP")
        finally:
            browser.close()
    assert [e for e in errors if "422" not in e] == []
