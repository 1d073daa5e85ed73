"""The identity review in a real browser (headless chromium), on a phone: an analyst accepts
a pair and the person's page shows both records at once; an officer sees no queue; another
agency's CONFIDENTIAL record shows on neither page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from person_pages_support import SECRET_SPELLING, Seeded, seed_person_pages
from test_ui_browser import CHROMIUM, CHROMIUM_ARGS, pytestmark, serving  # noqa: F401

from conftest import PASSWORD, TOTP_SECRET, forget_totp_use
from plataforma.context import Platform
from plataforma.security.passwords import current_totp

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def served(sqlite_platform: Platform) -> Iterator[tuple[str, Seeded, Platform]]:
    data = seed_person_pages(sqlite_platform)
    with serving(sqlite_platform) as url:
        yield url, data, sqlite_platform


def _login(
    browser: Any, server: str, platform: Platform, username: str, failures: list[str]
) -> Any:
    forget_totp_use(platform, username)
    page = browser.new_context(viewport=PHONE, locale="es-MX").new_page()
    page.on("console", lambda m: failures.append(m.text) if m.type == "error" else None)
    page.on(
        "response", lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 500 else None
    )
    page.goto(f"{server}/ui/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.fill("#totp", current_totp(TOTP_SECRET))
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/ui/")
    return page


def _fits_the_phone(page: Any) -> bool:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width <= PHONE["width"] + 1


def test_accepting_a_pair_shows_both_records_on_the_person_page(
    served: tuple[str, Seeded, Platform],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    server, data, platform = served
    failures: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            analyst = _login(browser, server, platform, "ana_gdl", failures)
            analyst.click("nav >> text=Revisión de identidad")
            pair = analyst.locator("section.pair").first
            expect(pair).to_contain_text("Mandamiento judicial")
            expect(pair.locator(".explanation")).to_contain_text("Apellidos")
            assert SECRET_SPELLING not in analyst.content()
            assert _fits_the_phone(analyst), "the review queue overflows a phone's width"
            pair.locator("textarea[name=reason]").fill("Mismo CURP en el expediente físico")
            pair.locator("button.accept").click()
            expect(analyst.locator("#decided")).to_be_visible()
            expect(analyst.locator(f"#m-{data.person_record}-0")).to_be_visible()
            expect(analyst.locator(f"#m-{data.sparse_warrant}-0")).to_be_visible()
            # Warrants come first on the person's page.
            expect(analyst.locator("section.group").first).to_have_id("group-warrant")
            expect(analyst.locator("#judgements")).to_contain_text("Mismo CURP")
            assert SECRET_SPELLING not in analyst.content()
            assert data.hidden_warrant not in analyst.content()
            assert _fits_the_phone(analyst), "the person page overflows a phone's width"

            officer = _login(browser, server, platform, "officer_gdl", failures)
            expect(officer.locator("nav.mainnav")).not_to_contain_text("Revisión de identidad")
            officer.goto(f"{server}/ui/review?purpose=patrol")
            expect(officer.locator("h1")).to_contain_text("No permitido")
            assert officer.locator("section.pair").count() == 0
        except AssertionError as error:
            raise AssertionError(f"{error}; page failures: {failures}") from error
        finally:
            browser.close()
    assert not [f for f in failures if "403" not in f], failures
