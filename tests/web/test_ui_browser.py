"""A real browser (Debian's headless chromium via Playwright) logs in, enters an IPH, finds it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from conftest import PASSWORD, TOTP_SECRET, add_agency, add_user
from plataforma.context import Platform
from plataforma.security.passwords import current_totp
from plataforma.web.app import create_app
from web.server_process import threaded_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and shutil.which("chromium") is None,
        reason="chromium not installed: run `apt-get install chromium` (the test script does)",
    ),
]


@contextmanager
def serving(platform: Platform) -> Iterator[str]:
    """The app over ``platform`` on a free port in a thread, until the block ends."""
    with threaded_server(create_app(platform)) as url:
        yield url


@pytest.fixture
def server(sqlite_platform: Platform) -> Iterator[str]:
    """The app on a free port in a thread, over a fresh store with one records clerk."""
    add_agency(sqlite_platform, "POL-GDL", "municipal", "police", "14")
    add_user(sqlite_platform, "capturista", "POL-GDL", ["records_clerk"])
    with serving(sqlite_platform) as url:
        yield url


def _failed_request(request: Any) -> str | None:
    """A real request failure; ``None`` for one the page itself abandoned.

    Navigating away (storing the report) aborts an htmx validation still in flight; Chromium
    reports that as ``net::ERR_ABORTED``, which is not a failure of the server.
    """
    failure = request.failure or ""
    if "ERR_ABORTED" in failure:
        return None
    return f"request failed: {request.url} ({failure})"


def test_aborted_requests_are_not_failures_but_others_are() -> None:
    class Request:
        def __init__(self, failure: str) -> None:
            self.url, self.failure = "http://x/ui/incidents/validate", failure

    assert _failed_request(Request("net::ERR_ABORTED")) is None
    assert _failed_request(Request("net::ERR_CONNECTION_REFUSED")) is not None
    assert _failed_request(Request("")) is not None


def test_browser_logs_in_enters_an_incident_and_finds_it(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="es-MX")
        failures: list[str] = []
        page.on("console", lambda m: failures.append(m.text) if m.type == "error" else None)
        page.on(
            "requestfailed",
            lambda r: failures.append(problem) if (problem := _failed_request(r)) else None,
        )
        page.on(
            "response",
            lambda r: failures.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        try:
            page.goto(f"{server}/ui/")
            expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
            page.fill("#username", "capturista")
            page.fill("#password", PASSWORD)
            page.fill("#totp", current_totp(TOTP_SECRET))
            page.click("button[type=submit]")
            expect(page.locator("#panel-clerk")).to_be_visible()

            page.click("text=Capturar un nuevo IPH")
            page.fill("#f-folio", "IPH-NAV-0042")
            page.fill("#f-occurred_at", "2024-06-15T22:30")
            page.select_option("#f-place-state", "14")
            # Generous: the list arrives over HTMX, slow on a loaded 2-core machine.
            expect(page.locator("#f-place-municipality option", has_text="Zapopan")).to_have_count(
                1, timeout=20_000
            )
            page.select_option("#f-place-municipality", label="Zapopan")
            # Decimal coordinates: the inputs' step must be a real "any", not an escaped one.
            page.fill("#f-place-latitude", "20.6767")
            page.fill("#f-place-longitude", "-103.3475")
            assert (
                page.eval_on_selector("#f-place-latitude", "e => e.getAttribute('step')") == "any"
            )
            # Validation as you type: with no crime type yet, the error shows beside the select.
            # Validation as you type arrives over HTMX too: the same generous wait.
            expect(page.locator("#err-crime_types")).to_have_text(
                "Campo obligatorio", timeout=20_000
            )
            page.select_option("#f-crime_types", ["robo_a_negocio"])
            page.click("[data-add-row=persons]")
            page.select_option("#f-persons-0-role", "victim")
            page.fill("#f-persons-0-given_names", "Rosa")
            page.fill("#f-persons-0-first_surname", "Mendoza")
            page.fill("#f-persons-0-date_of_birth", "31/02/1980")
            expect(page.locator("#err-persons-0-date_of_birth")).not_to_be_empty(timeout=20_000)
            page.fill("#f-persons-0-date_of_birth", "1980-02-13")
            expect(page.locator("#validation-summary")).to_contain_text(
                "listo para guardarse", timeout=20_000
            )
            page.click("text=Guardar el informe")

            expect(page.locator("h1")).to_contain_text("IPH-NAV-0042")
            expect(page.locator(".content")).to_contain_text("Rosa")
            expect(page.locator(".content")).to_contain_text("20.6767")

            page.goto(f"{server}/ui/search")
            page.fill("#f-q", "iph-nav-0042")
            page.click("form.searchbar button[type=submit]")
            expect(page.locator("#results")).to_contain_text("1 registro encontrado")
            expect(page.locator("#results")).to_contain_text("IPH-NAV-0042")
        except AssertionError as error:
            raise AssertionError(f"{error}; page failures: {failures}") from error
        finally:
            browser.close()
    assert not failures, failures
