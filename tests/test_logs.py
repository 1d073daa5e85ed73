"""Log lines are key=value, carry the facts passed with ``extra=``, and quote what needs it."""

from __future__ import annotations

import io
import logging
import sys

import pytest

from plataforma.logs import KeyValueFormatter, configure_logging


def _line(message: str, **extra: object) -> str:
    record = logging.getLogger("plataforma.test").makeRecord(
        "plataforma.test", logging.ERROR, __file__, 1, message, (), None, extra=extra
    )
    return KeyValueFormatter().format(record)


def test_a_line_names_level_logger_message_and_extra_facts() -> None:
    line = _line("audit insert failed", events=3, error="OperationalError('no such table')")
    assert " level=error logger=plataforma.test " in line
    assert 'msg="audit insert failed"' in line
    assert " events=3 " in line
    assert "error=\"OperationalError('no such table')\"" in line
    assert line.startswith("time=")


def test_values_with_spaces_quotes_or_newlines_stay_on_one_line() -> None:
    line = _line('a "quoted"\nvalue', reason="two words")
    assert "\n" not in line
    assert 'msg="a \\"quoted\\"\\nvalue"' in line and 'reason="two words"' in line


def test_configuring_twice_adds_one_handler() -> None:
    configure_logging("WARNING")
    configure_logging("WARNING")
    root = logging.getLogger("plataforma")
    ours = [h for h in root.handlers if getattr(h, "_plataforma", False)]
    assert len(ours) == 1 and root.level == logging.WARNING
    configure_logging("INFO")


def test_lines_go_to_the_current_stderr_after_the_old_one_was_closed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    root = logging.getLogger("plataforma")
    monkeypatch.setattr(root, "handlers", [])
    configure_logging("INFO")
    first.close()  # a test runner's capture, gone after the command
    monkeypatch.setattr(sys, "stderr", second)
    logging.getLogger("plataforma.test").warning("still heard")
    heard = second.getvalue()
    assert "still heard" in heard and "Logging error" not in heard
