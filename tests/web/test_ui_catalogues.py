"""The compiled message catalogues match their sources, and Spanish is complete."""

from __future__ import annotations

from typing import get_args

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from pydantic import BaseModel

from plataforma.model.records import RECORD_TYPES
from plataforma.records.search import SearchKind
from plataforma.web.ui import labels
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


# --- every message a page can show has its Spanish translation ----------------------------

WEB = TRANSLATIONS_DIR.parent
METHODS = [("**/ui/**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "gettext": (2,)}


def _spanish() -> dict[str, object]:
    with (TRANSLATIONS_DIR / "es" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in read_po(po) if m.id}


def _translated(catalogue: dict[str, object], message: str) -> bool:
    return all(_forms(catalogue.get(message) or ""))


def test_every_message_id_in_the_templates_and_ui_code_has_a_spanish_translation() -> None:
    """Scans the sources themselves, so a string added without updating the catalogue fails."""
    found = extract_from_dir(
        str(WEB), METHODS, options_map=OPTIONS, keywords=KEYWORDS, strip_comment_tags=True
    )
    ids = {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}
    assert len(ids) > 300  # the scan really read the templates and the code
    spanish = _spanish()
    assert sorted(m for m in ids if not _translated(spanish, m)) == []


def _field_names(model: type[BaseModel], seen: set[type[BaseModel]]) -> set[str]:
    """Every field name of a model and of the models nested in it, however deeply."""
    if model in seen:
        return set()
    seen.add(model)
    names = set(model.model_fields)
    for info in model.model_fields.values():
        stack = [info.annotation]
        while stack:
            kind = stack.pop()
            stack.extend(get_args(kind))
            if isinstance(kind, type) and issubclass(kind, BaseModel):
                names |= _field_names(kind, seen)
    return names


def test_every_field_of_every_record_type_has_a_spanish_label() -> None:
    fields: set[str] = set()
    for model in RECORD_TYPES.values():
        fields |= _field_names(model, set())
    assert {"build", "hair", "owner_name", "theft_status", "place"} <= fields
    assert sorted(fields - set(labels.FIELD_LABELS)) == []
    spanish = _spanish()
    assert [f for f in sorted(fields) if not _translated(spanish, labels.FIELD_LABELS[f])] == []


def test_every_displayed_vocabulary_is_labelled_in_spanish() -> None:
    spanish = _spanish()
    for vocabulary, table in labels.DISPLAYED_ENUMS:
        assert set(vocabulary) <= set(table), vocabulary.__name__
        untranslated = [m for m in table.values() if not _translated(spanish, m)]
        assert untranslated == [], vocabulary.__name__
    for key, table in labels.VALUE_LABELS.items():
        assert all(_translated(spanish, m) for m in table.values()), key
    assert set(RECORD_TYPES) == set(labels.RECORD_TYPE_LABELS)
    assert set(SearchKind) <= set(labels.KIND_LABELS)
