"""The inbox page in headless chromium: a notification arriving while the page is open.

The page is live over Server-Sent Events: the new notification appears at the top of the
list and the header's unread badge counts it, without a reload; marking it read updates both.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from server_process import threaded_server
from test_ui_browser import CHROMIUM, CHROMIUM_ARGS, pytestmark  # noqa: F401  (the marks)

from conftest import PASSWORD, TOTP_SECRET, add_two_desks, add_user
from plataforma.context import Platform
from plataforma.realtime.inbox import Notification, NotificationKind, Priority, deliver
from plataforma.security.passwords import current_totp
from plataforma.web.app import create_app


@pytest.fixture
def server(sqlite_platform: Platform) -> Iterator[str]:
    add_two_desks(sqlite_platform)
    add_user(sqlite_platform, "oficial", "POL-GDL", ["officer"])
    with threaded_server(create_app(sqlite_platform)) as url:
        yield url


def test_a_notification_arrives_while_the_inbox_is_open(
    server: str, sqlite_platform: Platform
) -> None:
    from playwright.sync_api import expect, sync_playwright

    deliver(
        sqlite_platform.engine,
        None,
        [Notification(NotificationKind.MESSAGE, "old", recipient_user="oficial")],
    )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 800}, locale="es-MX")
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        try:
            page.goto(f"{server}/ui/")
            page.fill("#username", "oficial")
            page.fill("#password", PASSWORD)
            page.fill("#totp", current_totp(TOTP_SECRET))
            page.click("button[type=submit]")
            page.click("#inbox-link")
            expect(page.locator("h1")).to_have_text("Bandeja")
            expect(page.locator("#inbox-list li")).to_have_count(1)
            expect(page.locator("#inbox-badge")).to_have_text("1", timeout=10_000)

            platform = sqlite_platform
            deliver(
                platform.engine,
                platform.bus,
                [
                    Notification(
                        NotificationKind.DELAYED_HIT,
                        "live-1",
                        recipient_agency="POL-GDL",
                        priority=Priority.URGENT,
                    ),
                    # Another agency's desk: must not appear here.
                    Notification(NotificationKind.MESSAGE, "zap", recipient_agency="POL-ZAP"),
                ],
            )
            first = page.locator("#inbox-list li").first
            expect(first).to_contain_text("Hit diferido", timeout=10_000)
            expect(first).to_contain_text("Para la mesa de su agencia")
            expect(first).to_contain_text("no una prueba")
            expect(page.locator("#inbox-list li")).to_have_count(2)
            expect(page.locator("#inbox-badge")).to_have_text("2")

            first.locator("button.mark-read").click()
            expect(page.locator("#inbox-list li").first).to_contain_text("Ya leída")
            assert not errors, errors
        finally:
            browser.close()
