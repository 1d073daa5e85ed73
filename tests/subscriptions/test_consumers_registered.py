"""The three consumers are on the server's list, under durable names of their own."""

from __future__ import annotations

from plataforma.consumers import default_consumers
from plataforma.context import Platform


def test_default_consumers_hold_subscriptions_delayed_inquiry_and_deconfliction(
    sqlite_platform: Platform,
) -> None:
    names = [name for name, _ in default_consumers(sqlite_platform)]
    assert {"subscriptions", "delayed-inquiry", "deconfliction"} <= set(names)
    assert len(names) == len(set(names))
