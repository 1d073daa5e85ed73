"""Identity documents: passports, voter cards (INE), RFC, NSS, licences, consular IDs.

Each kind has its own structure; the number alone is the key except for passports, whose
numbers are only unique within the issuing country, so their key carries the country.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from .base import Identifier, InvalidValue
from .country import parse_country
from .text import normalize_text

__all__ = ["DocumentKind", "IdentityDocument", "parse_document"]


class DocumentKind(StrEnum):
    PASSPORT = "passport"
    INE = "ine"
    RFC = "rfc"
    NSS = "nss"
    LICENSE = "license"
    CONSULAR_ID = "consular_id"
    OTHER = "other"


_KIND_ALIASES = {
    "PASAPORTE": DocumentKind.PASSPORT,
    "IFE": DocumentKind.INE,
    "CREDENCIAL PARA VOTAR": DocumentKind.INE,
    "CREDENCIAL DE ELECTOR": DocumentKind.INE,
    "CLAVE DE ELECTOR": DocumentKind.INE,
    "LICENCIA": DocumentKind.LICENSE,
    "LICENCIA DE CONDUCIR": DocumentKind.LICENSE,
    "MATRICULA CONSULAR": DocumentKind.CONSULAR_ID,
    "SEGURO SOCIAL": DocumentKind.NSS,
    **{k.value.upper().replace("_", " "): k for k in DocumentKind},
}
_SEPARATORS = str.maketrans("", "", " \t\n\r-./_")
_INE_RE = re.compile(r"[A-Z]{6}([0-9]{6})[0-9]{2}[HM][A-Z0-9]{3}")
_RFC_RE = re.compile(r"[A-ZÑ&]{3,4}([0-9]{6})[A-Z0-9]{3}")
_ALNUM_RE = re.compile(r"[A-Z0-9]+")
# SAT's generic RFCs for the general public and for foreigners: shared by millions.
_GENERIC_RFC = frozenset({"XAXX010101000", "XEXX010101000"})
_LENGTHS = {
    DocumentKind.PASSPORT: (6, 12),
    DocumentKind.LICENSE: (5, 20),
    DocumentKind.CONSULAR_ID: (5, 20),
    DocumentKind.OTHER: (3, 30),
}


@dataclass(frozen=True, slots=True)
class IdentityDocument(Identifier):
    """A document number with its kind and (ISO alpha-2) issuing country when known."""

    kind: DocumentKind
    country: str | None

    @property
    def match_key(self) -> str | None:
        if not self.valid:
            return None
        if self.kind is DocumentKind.PASSPORT:
            return f"{self.country or 'MX'}:{self.normalized}"
        return self.normalized


def _kind(kind: str | None) -> DocumentKind:
    if kind is None:
        return DocumentKind.OTHER
    return _KIND_ALIASES.get(normalize_text(kind), DocumentKind.OTHER)


def _real_yymmdd(yymmdd: str) -> bool:
    # The century is not encoded; a date is real if it exists in either century.
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    for century in (1900, 2000):
        try:
            dt.date(century + yy, mm, dd)
        except ValueError:
            continue
        return True
    return False


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _problem(kind: DocumentKind, value: str) -> str | None:
    if kind is DocumentKind.INE:
        m = _INE_RE.fullmatch(value)
        if not m:
            return "malformed voter key (clave de elector)"
        return None if _real_yymmdd(m.group(1)) else "impossible birth date"
    if kind is DocumentKind.RFC:
        m = _RFC_RE.fullmatch(value)
        if not m:
            return "malformed RFC"
        if value in _GENERIC_RFC:
            return "generic RFC, not a person"
        return None if _real_yymmdd(m.group(1)) else "impossible date"
    if kind is DocumentKind.NSS:
        if len(value) != 11 or not value.isdigit():
            return "NSS must have 11 digits"
        return None if _luhn_ok(value) else "check digit mismatch"
    if not _ALNUM_RE.fullmatch(value):
        return "unexpected characters"
    low, high = _LENGTHS[kind]
    return None if low <= len(value) <= high else f"not {low} to {high} characters"


# A record's keys and its flags both parse the same identifier: the small cache makes the
# second parse free. Results are immutable, so sharing them is safe.
@lru_cache(maxsize=4096)
def parse_document(
    raw: str, kind: str | None = None, country: str | None = None
) -> IdentityDocument:
    """Parse a document number as typed; never raises.

    `kind` accepts the `DocumentKind` values and Spanish names ("pasaporte", "IFE"); anything
    else is `other`. `country` accepts anything `parse_country` does.
    """
    raw = raw.strip()
    doc_kind = _kind(kind)
    value = raw.upper().translate(_SEPARATORS)
    code: str | None = None
    problem: str | None = None
    if country and country.strip():
        try:
            code = parse_country(country)
        except InvalidValue as exc:
            # For passports the country is part of the key, so an unknown one spoils it.
            problem = f"issuing country: {exc.reason}"
    if not value:
        problem = "empty"
    elif problem is None or doc_kind is not DocumentKind.PASSPORT:
        problem = _problem(doc_kind, value)
    return IdentityDocument(raw, None if problem else value, problem, doc_kind, code)
