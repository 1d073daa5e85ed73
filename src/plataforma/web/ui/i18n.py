"""Which language a page speaks, and its message catalogue.

Spanish is the default because the platform's users work in Spanish; English is available
through ``?lang=en`` (remembered in a cookie), or the browser's ``Accept-Language``.
Catalogues are Babel/gettext files in ``web/translations/<lang>/LC_MESSAGES/messages.mo``
compiled from the ``.po`` files beside them; ``python scripts/update_translations.py``
re-extracts the messages, merges them into both catalogues and recompiles.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.support import Translations
from starlette.requests import Request

LANGUAGES = ("es", "en")
LANG_COOKIE = "plataforma_lang"
TRANSLATIONS_DIR = Path(__file__).resolve().parents[1] / "translations"


@cache
def translations(lang: str) -> Translations:
    """The catalogue of ``lang``; an unknown language gets an empty one (the English msgids)."""
    loaded = Translations.load(str(TRANSLATIONS_DIR), [lang], "messages")
    return loaded if isinstance(loaded, Translations) else Translations()


def requested_language(request: Request) -> str | None:
    """A language chosen explicitly with ``?lang=``, to be remembered in the cookie."""
    lang = request.query_params.get("lang")
    return lang if lang in LANGUAGES else None


def choose_language(request: Request, default: str = "es") -> str:
    """``?lang=``, else the cookie, else the best ``Accept-Language`` match, else ``default``."""
    explicit = requested_language(request)
    if explicit:
        return explicit
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in LANGUAGES:
        return cookie
    for tag in _accepted(request.headers.get("accept-language", "")):
        primary = tag.split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return default if default in LANGUAGES else LANGUAGES[0]


def _accepted(header: str) -> list[str]:
    """Language tags of an ``Accept-Language`` header, best first."""
    weighted: list[tuple[float, int, str]] = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]
