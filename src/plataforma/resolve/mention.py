"""One normalised person mention per input row: the only thing the resolver ever compares.

A file row, a person record from the store and, later, a record arriving on the bus all
become the same `PersonMention`, so the comparisons, the blocking keys and the scorer see one
shape. Everything expensive (accent folding, transliteration, nickname forms, phonetic keys,
CURP decoding) is done here once per mention, never once per pair: a mention is compared with
dozens of candidates.

Preparation never raises: an unreadable date or an invalid CURP is kept out of the evidence
and counted in ``problems``, because a bad field must not lose the rest of the record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from plataforma.model.codes import resolve_state
from plataforma.model.codes.errors import CodeError
from plataforma.model.codes.states import state_by_curp
from plataforma.model.values import (
    InvalidValue,
    PartialDate,
    parse_document,
    parse_partial_date,
    parse_phone,
    parse_sex,
)
from plataforma.model.values.alias import alias_keys
from plataforma.model.values.curp import curp_name_prefix
from plataforma.model.values.curp_evidence import curp_evidence
from plataforma.model.values.given_names import given_name_forms, given_tokens
from plataforma.model.values.particles import PARTICLES
from plataforma.model.values.phonetic import phonetic_key
from plataforma.model.values.text import ascii_key

__all__ = ["INPUT_FIELDS", "PersonMention", "prepare_mention"]

# The columns of DESIGN §5's file (plus document and phone); a store record maps onto them.
INPUT_FIELDS = (
    "record_id",
    "agency",
    "given_name",
    "first_surname",
    "second_surname",
    "sex",
    "date_of_birth",
    "curp",
    "birth_state",
    "municipality",
    "street",
    "alias",
    "document_number",
    "phone",
)


_ANY_DATE = dt.date(2000, 1, 1)


# Not frozen: a frozen dataclass sets each of its 27 fields through object.__setattr__,
# which was a third of the preparation time. Treat mentions as read-only all the same.
@dataclass(slots=True)
class PersonMention:
    """A person as one record names them, in comparison form (empty string = unknown)."""

    record_id: str
    order: int  # arrival order: a cluster keeps the id of its oldest record
    given: str
    given_tokens: tuple[str, ...]
    given_forms: frozenset[str]  # formal names the first given token may stand for
    token_forms: tuple[frozenset[str], ...]  # the same for every given token
    given_phonetic: str
    first_surname: str
    second_surname: str
    first_phonetic: str
    second_phonetic: str
    name_tokens: frozenset[str]
    dob: PartialDate | None
    curp: str  # valid CURP, else ""
    curp_text: str  # anything shaped like a CURP, valid or not
    curp_prefix: str  # initials + birth date: from the CURP, or derived from name and date
    sex: str
    birth_state: str
    municipality: str
    street: str
    document: str
    phone: str
    aliases: frozenset[str]
    problems: tuple[str, ...] = ()

    @property
    def sparse(self) -> bool:
        """Too little to identify anyone: no surname and no identifier."""
        return not (self.first_surname or self.curp_text or self.document or self.phone)


def _field(row: Mapping[str, str | None], name: str) -> str:
    value = row.get(name)
    if value is None and name == "given_name":
        value = row.get("given_names")
    return (value or "").strip()


def _surnames(row: Mapping[str, str | None]) -> tuple[str, str]:
    first, second = (
        ascii_key(_field(row, "first_surname")),
        ascii_key(_field(row, "second_surname")),
    )
    if not first and second:  # a lone surname is the first one, whatever column it was typed in
        first, second = second, ""
    return first, second


def _dob(raw: str, problems: list[str]) -> PartialDate | None:
    if not raw:
        return None
    try:
        return parse_partial_date(raw)
    except InvalidValue as exc:
        problems.append(f"date_of_birth: {exc.reason}")
        return None


def _sex(raw: str, problems: list[str]) -> str:
    if not raw:
        return ""
    try:
        return str(parse_sex(raw))
    except InvalidValue as exc:
        problems.append(f"sex: {exc.reason}")
        return ""


def _state(raw: str, curp_state: str | None) -> str:
    if raw:
        try:
            return resolve_state(raw).code
        except CodeError:
            return ascii_key(raw)
    if curp_state:
        state = state_by_curp(curp_state)
        return state.code if state else ""
    return ""


def _municipality(raw: str) -> str:
    return raw.zfill(5) if raw.isdigit() else ascii_key(raw)


@lru_cache(maxsize=1 << 16)
def _initials(given: str, first: str, second: str) -> str:
    # The date part is appended by the caller: caching on the name alone hits far more often.
    return curp_name_prefix(given, first, second or None, _ANY_DATE)[:4]


def _derived_prefix(given: str, first: str, second: str, dob: PartialDate | None) -> str:
    if dob is None or dob.day is None or not given or not first:
        return ""
    iso = dob.iso
    return _initials(given, first, second) + iso[2:4] + iso[5:7] + iso[8:10]


def prepare_mention(row: Mapping[str, str | None], order: int) -> PersonMention:
    """The mention of one input row (DESIGN §5 columns; missing ones are unknown)."""
    problems: list[str] = []
    given_raw = _field(row, "given_name")
    tokens = given_tokens(given_raw)
    first, second = _surnames(row)
    curp_raw = _field(row, "curp")
    evidence = curp_evidence(curp_raw) if curp_raw else None
    if curp_raw and (evidence is None or not evidence.valid):
        problems.append("curp: invalid, kept as weak evidence")
    dob = _dob(_field(row, "date_of_birth"), problems)
    if dob is None and evidence is not None and evidence.birth_date is not None:
        born: dt.date = evidence.birth_date
        dob = PartialDate(born.year, born.month, born.day)
    sex = _sex(_field(row, "sex"), problems) or (evidence.sex if evidence and evidence.sex else "")
    document = _field(row, "document_number")
    phone = _field(row, "phone")
    surname_words = f"{first} {second}".split()
    prefix = evidence.text[:10] if evidence else _derived_prefix(given_raw, first, second, dob)
    return PersonMention(
        record_id=_field(row, "record_id"),
        order=order,
        given=" ".join(tokens),
        given_tokens=tokens,
        given_forms=given_name_forms(tokens[0]) if tokens else frozenset(),
        token_forms=tuple(given_name_forms(t) for t in tokens),
        given_phonetic=phonetic_key(tokens[0]) if tokens else "",
        first_surname=first,
        second_surname=second,
        first_phonetic=phonetic_key(first),
        second_phonetic=phonetic_key(second),
        name_tokens=frozenset(
            t for t in (*tokens, *surname_words) if t not in PARTICLES and len(t) > 1
        ),
        dob=dob,
        curp=evidence.text if evidence and evidence.valid else "",
        curp_text=evidence.text if evidence else "",
        curp_prefix=prefix,
        sex=sex,
        birth_state=_state(_field(row, "birth_state"), evidence.state_code if evidence else None),
        municipality=_municipality(_field(row, "municipality")),
        street=ascii_key(_field(row, "street")),
        document=(parse_document(document).normalized or ascii_key(document)) if document else "",
        phone=(parse_phone(phone).match_key or "") if phone else "",
        aliases=alias_keys(_field(row, "alias")),
        problems=tuple(problems),
    )
