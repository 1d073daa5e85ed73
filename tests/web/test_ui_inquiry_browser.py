"""A real browser on a phone-sized screen: an officer checks a name and sees the hit first."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_ui_browser import CHROMIUM, CHROMIUM_ARGS, pytestmark, serving  # noqa: F401

from conftest import PASSWORD, TOTP_SECRET, add_agency, add_user
from plataforma.context import Platform
from plataforma.security.passwords import current_totp

sys.path.insert(0, str(Path(__file__).parents[1] / "inquiry"))
from inquiry_fixtures import BORN, store, warrant


@pytest.fixture
def server(sqlite_platform: Platform) -> Iterator[str]:
    for code in ("POL-GDL", "FGE-JAL"):
        add_agency(sqlite_platform, code, "municipal", "police", "14")
    add_user(sqlite_platform, "patrulla", "POL-GDL", ["officer"])
    store(sqlite_platform, [warrant("W1", armed_and_dangerous=True)])
    with serving(sqlite_platform) as url:
        yield url


def test_an_officer_on_a_phone_checks_a_name_and_sees_the_hit_first(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="es-MX")
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        try:
            page.goto(f"{server}/ui/")
            page.fill("#username", "patrulla")
            page.fill("#password", PASSWORD)
            page.fill("#totp", current_totp(TOTP_SECRET))
            page.click("button[type=submit]")
            panel = page.locator("#panel-check")
            expect(panel).to_be_visible()
            panel.locator("#f-name").fill("ramon salas ibarra")
            panel.locator("#f-dob").fill(BORN)
            panel.get_by_role("button", name="Consultar").click()
            banner = page.locator("#hit-banner")
            expect(banner).to_be_visible(timeout=15_000)
            expect(banner).to_contain_text("COINCIDENCIA")
            expect(banner).to_contain_text("Armado y peligroso")
            expect(banner).to_contain_text("no una prueba")
            # The banner is on the first screen of a phone, above the hit's details.
            box = banner.bounding_box()
            card = page.locator(".hit-card").first.bounding_box()
            assert box is not None and card is not None and box["y"] < card["y"]
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390 + 1, f"the page scrolls sideways on a phone ({width}px)"
            shot = os.environ.get("PLATAFORMA_SCREENSHOT_DIR")
            if shot:
                page.screenshot(path=f"{shot}/inquiry-phone.png", full_page=True)
            assert not errors, errors
        finally:
            browser.close()
