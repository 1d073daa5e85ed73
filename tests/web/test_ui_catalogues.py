"""The compiled message catalogues match their sources, and Spanish is complete."""

from __future__ import annotations

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from plataforma.web.ui.i18n import TRANSLATIONS_DIR


def _forms(string: object) -> list[str]:
    return [str(s) for s in string] if isinstance(string, list | tuple) else [str(string)]


def _text(string: object) -> tuple[str, ...]:
    return tuple(_forms(string))


def test_compiled_catalogues_match_the_po_files() -> None:
    for lang in ("es", "en"):
        folder = TRANSLATIONS_DIR / lang / "LC_MESSAGES"
        with (folder / "messages.po").open("rb") as po, (folder / "messages.mo").open("rb") as mo:
            source, compiled = read_po(po), read_mo(mo)
        done = [m for m in source if m.id and all(_forms(m.string)) and not m.fuzzy]
        # An untranslated plural is compiled as its English msgids; skip those.
        kept = [m for m in compiled if m.id and _text(m.string) != _text(m.id)]
        translated = {_text(m.id): _text(m.string) for m in done if _text(m.string) != _text(m.id)}
        assert translated == {_text(m.id): _text(m.string) for m in kept}, lang


def test_every_message_has_a_spanish_translation() -> None:
    with (TRANSLATIONS_DIR / "es" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po)
    missing = [
        m.id
        for m in catalogue
        if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    assert not missing
