"""The trends dashboard in headless chromium: drawn without tiles, a state opens its
municipalities, and a count changes on the open page when an incident is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from server_process import threaded_server
from test_ui_browser import CHROMIUM, CHROMIUM_ARGS, pytestmark  # noqa: F401  (the marks)

from conftest import PASSWORD, TOTP_SECRET, add_agency, add_user
from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.records.service import RecordService
from plataforma.security.passwords import current_totp
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.web.app import create_app
from trends.live_support import incident, write_incident

WHEN = (dt.date.today() - dt.timedelta(days=2)).isoformat() + "T12:00:00"


@pytest.fixture
def server(sqlite_platform: Platform) -> Iterator[str]:
    add_agency(sqlite_platform, "POL-GDL", "municipal", "police", "14")
    add_user(sqlite_platform, "analista", "POL-GDL", ["analyst"], Marking.SECRET)
    write_incident(sqlite_platform, incident("1", occurred_at=WHEN))
    with threaded_server(create_app(sqlite_platform)) as url:
        yield url


def _login(page: object, server: str) -> None:
    page.goto(f"{server}/ui/login")  # type: ignore[attr-defined]
    page.fill("#username", "analista")  # type: ignore[attr-defined]
    page.fill("#password", PASSWORD)  # type: ignore[attr-defined]
    page.fill("#totp", current_totp(TOTP_SECRET))  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["desktop", "phone"])
def test_the_count_changes_on_the_open_page_when_an_incident_is_written(
    server: str, sqlite_platform: Platform, viewport: tuple[int, int]
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        width, height = viewport
        page = browser.new_page(viewport={"width": width, "height": height}, locale="es-MX")
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            _login(page, server)
            page.click("#trends-link")
            expect(page.locator("h1")).to_have_text("Tendencias")
            expect(page.locator("body")).to_have_attribute("data-trends-ready", "1")
            expect(page.locator("#trend-total")).to_have_text("1")
            expect(page.locator("#trend-live")).to_have_attribute("data-state", "open")
            jalisco = page.locator('path[data-code="14"]')
            expect(jalisco).to_have_attribute("data-count", "1")
            assert page.locator(".leaflet-tile").count() == 0  # no tiles: nothing from outside

            RecordService(sqlite_platform).submit(
                LOCAL_ADMIN, "incident", incident("2", occurred_at=WHEN)
            )
            # relay → bus → trends consumer → signal → stream → the page reads again
            expect(page.locator("#trend-total")).to_have_text("2", timeout=15_000)
            expect(jalisco).to_have_attribute("data-count", "2")
            # A SECRET incident changes nothing anyone sees.
            secret = incident("3", occurred_at=WHEN, marking="SECRET")
            RecordService(sqlite_platform).submit(LOCAL_ADMIN, "incident", secret)
            page.wait_for_timeout(2500)
            expect(page.locator("#trend-total")).to_have_text("2")

            jalisco.click(force=True)
            expect(page.locator("#panel-title")).to_have_text("Jalisco")
            expect(page.locator(".muni-point").first).to_be_visible()
            expect(page.locator("#trend-total")).to_have_text("2")
            overflow = page.evaluate("document.scrollingElement.scrollWidth")
            assert overflow <= width + 1, overflow  # usable on a phone: no sideways scroll
            assert not errors, errors
        finally:
            browser.close()


def test_the_printable_compstat_prints(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="es-MX")
        try:
            _login(page, server)
            page.goto(f"{server}/ui/trends/compstat?area_level=state&area=14")
            expect(page.locator("h1")).to_contain_text("Jalisco")
            expect(page.locator("table.compstat").first).to_contain_text("Extorsión")
            page.emulate_media(media="print")
            assert not page.locator("header.topbar").is_visible()
            pdf = page.pdf(format="A4")
            assert pdf[:4] == b"%PDF"
        finally:
            browser.close()
