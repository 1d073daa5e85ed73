"""Countries to ISO 3166 alpha-2, from codes and English or Spanish names.

Nationality and place of birth arrive as "EUA", "Estados Unidos", "USA" or "E.U.A."; all must
become "US". Names come from pycountry (English) and Babel's CLDR data (Spanish, English),
plus the abbreviations Mexican clerks use.
"""

from __future__ import annotations

import functools

import babel
import pycountry

from .base import InvalidValue
from .text import normalize_text

__all__ = ["parse_country"]

# Abbreviations and informal names not in CLDR or ISO; checked first. "EU" is Estados Unidos
# in Mexican usage, not the European Union.
_ALIASES = {
    "MX": "MEXICO|REPUBLICA MEXICANA|ESTADOS UNIDOS MEXICANOS|MEX",
    "US": "EUA|EEUU|EE UU|E U A|USA|U S A|ESTADOS UNIDOS DE AMERICA|NORTEAMERICA|EU",
    "GB": "INGLATERRA|GRAN BRETANA|UK|ESCOCIA|GALES",
    "KR": "COREA",
    "NL": "HOLANDA",
    "CZ": "REPUBLICA CHECA",
    "SV": "SALVADOR",
    "RU": "RUSIA",
    "BO": "BOLIVIA",
    "VE": "VENEZUELA",
    "IR": "IRAN",
    "SY": "SIRIA",
    "TW": "TAIWAN",
    "VN": "VIETNAM",
    "DO": "DOMINICANA",
}
# CLDR codes that are not countries (EU, UN, pseudo-locales, "unknown region").
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


@functools.cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for code, names in _ALIASES.items():
        for name in names.split("|"):
            table[name] = code
    countries = list(pycountry.countries)
    for c in countries:
        table.setdefault(c.alpha_2, c.alpha_2)
        table.setdefault(c.alpha_3, c.alpha_2)
    for c in countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if isinstance(value, str):
                table.setdefault(normalize_text(value), c.alpha_2)
    for locale in ("es", "en"):
        for code, name in babel.Locale(locale).territories.items():
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES:
                table.setdefault(code, code)
                table.setdefault(normalize_text(name), code)
    return table


def parse_country(raw: str) -> str:
    """Return the ISO 3166 alpha-2 code for a code or name; raises `InvalidValue`."""
    key = normalize_text(raw)
    code = _lookup().get(key)
    compact = key.replace(" ", "")
    # "EE. UU." → "EEUU"; short results are not retried, or "N/A" would become Namibia.
    if code is None and len(compact) > 3:
        code = _lookup().get(compact)
    if code is None:
        raise InvalidValue(f"unknown country '{raw}'")
    return code
