"""Two agencies in two real browsers (headless chromium): a hit confirmation asked, seen
counting down at the owner's desk, answered, and the answer read back; a message sent,
acknowledged, and the acknowledgement seen by the sender."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from test_ui_browser import CHROMIUM, CHROMIUM_ARGS, pytestmark, serving  # noqa: F401

from conftest import PASSWORD, TOTP_SECRET, add_agency, add_user
from exchange_helpers import add_inquiry, hit_record
from plataforma.context import Platform
from plataforma.model.envelope import Marking
from plataforma.security.passwords import current_totp


@pytest.fixture
def served(sqlite_platform: Platform) -> Iterator[tuple[str, str, str]]:
    """Two agencies, an officer and a prosecutor, and an inquiry of POL-GDL that hit."""
    platform = sqlite_platform
    add_agency(platform, "POL-GDL", "municipal", "police", "14")
    add_agency(platform, "FGE-JAL", "state", "prosecutor", "14")
    add_user(platform, "oficial", "POL-GDL", ["officer"])
    add_user(platform, "fiscal", "FGE-JAL", ["prosecutor"], Marking.CONFIDENTIAL)
    record = hit_record(platform, "FGE-JAL", "W-1", Marking.SBU)
    inquiry = add_inquiry(platform, "POL-GDL", "oficial", [record])
    with serving(platform) as url:
        yield url, inquiry, record


def _login(context: Any, server: str, username: str, failures: list[str]) -> Any:
    page = context.new_page()
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


def test_two_agencies_confirm_a_hit_and_exchange_a_message(
    served: tuple[str, str, str],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    server, inquiry, record = served
    failures: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            officer = _login(
                browser.new_context(viewport={"width": 1280, "height": 800}, locale="es-MX"),
                server,
                "oficial",
                failures,
            )
            # The link an inquiry hit carries, prefilled.
            officer.goto(f"{server}/ui/confirmations?inquiry_id={inquiry}&record_id={record}")
            expect(officer.locator(".warning")).to_contain_text("no una prueba")
            officer.select_option("#f-priority", "urgent")
            officer.fill("#f-note", "Sujeto retenido en el retén de Periférico")
            officer.click("#request-form button[type=submit]")
            expect(officer.locator("h1")).to_contain_text("Esperando respuesta")
            expect(officer.locator("#contact")).to_be_visible()

            fiscal = _login(
                browser.new_context(viewport={"width": 1280, "height": 800}, locale="es-MX"),
                server,
                "fiscal",
                failures,
            )
            fiscal.click("nav >> text=Confirmaciones")
            countdown = fiscal.locator("#incoming .countdown")
            # The countdown runs in the page: minutes and seconds left of the 10.
            expect(countdown).to_have_text(re.compile(r"^\d{1,2}:\d{2}$"))
            fiscal.click("#incoming >> text=Abrir")
            expect(fiscal.locator("#thread")).to_contain_text("retén de Periférico")
            fiscal.check("input[name=answer][value=not_confirmed]")
            fiscal.fill("#f-note", "Orden cumplimentada el día de ayer")
            fiscal.click("#answer-form button[type=submit]")
            expect(fiscal.locator("h1")).to_contain_text("No confirmado")

            officer.reload()
            expect(officer.locator("h1")).to_contain_text("No confirmado")
            expect(officer.locator("#thread")).to_contain_text("Orden cumplimentada")

            officer.click("nav >> text=Mensajes")
            officer.select_option("#f-kind", "bolo")
            officer.select_option("#f-priority", "flash")
            officer.fill("#f-to_value", "FGE-JAL")
            officer.fill("#f-subject", "BOLO: camioneta gris")
            officer.fill("#f-body", "Camioneta gris, placas JAL-999-A, rumbo a Tlaquepaque.")
            officer.click("#compose button[type=submit]")
            expect(officer.locator("#body")).to_contain_text("JAL-999-A")

            fiscal.click("nav >> text=Mensajes")
            expect(fiscal.locator("#inbox")).to_contain_text("BOLO: camioneta gris")
            fiscal.click("#inbox >> text=Acusar recibo")
            expect(fiscal.locator("#receipts")).to_contain_text("fiscal")

            officer.reload()
            expect(officer.locator("#receipts")).to_contain_text("fiscal")
        except AssertionError as error:
            raise AssertionError(f"{error}; page failures: {failures}") from error
        finally:
            browser.close()
    assert not failures, failures
