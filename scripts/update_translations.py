"""Refresh the UI's message catalogues: extract, merge into es/en, compile the .mo files.

Run after changing a user-visible string: ``python scripts/update_translations.py``; then
translate the new empty ``msgstr`` entries in ``es/LC_MESSAGES/messages.po`` (English msgids
are the English text) and run it again so the compiled ``.mo`` files match.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "src" / "plataforma" / "web"
CATALOGUES = WEB / "translations"


def pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True)


def main() -> None:
    template = str(CATALOGUES / "messages.pot")
    pybabel(
        "extract", "-F", str(WEB / "babel.cfg"), "-k", "N_", "-k", "gettext:2",
        "--no-location", "--sort-output", "--project", "plataforma",
        "--copyright-holder", "plataforma contributors", "-o", template, str(WEB),
    )  # fmt: skip
    pybabel(
        "update", "-i", template, "-d", str(CATALOGUES), "--no-fuzzy-matching", "--ignore-obsolete"
    )
    pybabel("compile", "-d", str(CATALOGUES), "--statistics")


if __name__ == "__main__":
    main()
