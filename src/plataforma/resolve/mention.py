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
from plataforma.model.values.curp import curp_initials
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


# Preparation runs once per row, but the values repeat (a few thousand given names and
# surnames, dates, states cover most rows): each part is cached on its raw text, which took
# preparation of a 24.8k-row file from 1.35 to ~0.6 s of CPU.
_CACHE = 1 << 16


@lru_cache(maxsize=_CACHE)
def _given_parts(
    raw: str,
) -> tuple[str, tuple[str, ...], frozenset[str], tuple[frozenset[str], ...], str]:
    tokens = given_tokens(raw)
    forms = tuple(given_name_forms(t) for t in tokens)
    return (
        " ".join(tokens),
        tokens,
        forms[0] if forms else frozenset(),
        forms,
        phonetic_key(tokens[0]) if tokens else "",
    )


@lru_cache(maxsize=_CACHE)
def _surname_parts(first_raw: str, second_raw: str) -> tuple[str, str, str, str]:
    first, second = ascii_key(first_raw), ascii_key(second_raw)
    if not first and second:  # a lone surname is the first one, whatever column it was typed in
        first, second = second, ""
    return first, second, phonetic_key(first), phonetic_key(second)


@lru_cache(maxsize=_CACHE)
def _name_tokens(tokens: tuple[str, ...], first: str, second: str) -> frozenset[str]:
    words = (*tokens, *first.split(), *second.split())
    return frozenset(t for t in words if t not in PARTICLES and len(t) > 1)


@lru_cache(maxsize=_CACHE)
def _dob(raw: str) -> tuple[PartialDate | None, str | None]:
    if not raw:
        return None, None
    try:
        return parse_partial_date(raw), None
    except InvalidValue as exc:
        return None, f"date_of_birth: {exc.reason}"


@lru_cache(maxsize=256)
def _sex(raw: str) -> tuple[str, str | None]:
    if not raw:
        return "", None
    try:
        return str(parse_sex(raw)), None
    except InvalidValue as exc:
        return "", f"sex: {exc.reason}"


@lru_cache(maxsize=4096)
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


@lru_cache(maxsize=_CACHE)
def _municipality(raw: str) -> str:
    return raw.zfill(5) if raw.isdigit() else ascii_key(raw)


_RENAPO_SKIPS = frozenset({"JOSE", "J", "MARIA", "MA", "M"})


def _first_word(surname: str) -> str:
    return next((w for w in surname.split() if w not in PARTICLES), "")


def _derived_prefix(
    tokens: tuple[str, ...], first: str, second: str, dob: PartialDate | None
) -> str:
    """The CURP's first ten characters as RENAPO would derive them from the name and date."""
    if dob is None or dob.day is None or dob.month is None or not tokens or not first:
        return ""
    given = tokens[1] if len(tokens) > 1 and tokens[0] in _RENAPO_SKIPS else tokens[0]
    initials = curp_initials(_first_word(first), _first_word(second), given)
    return f"{initials}{dob.year % 100:02d}{dob.month:02d}{dob.day:02d}"


def prepare_mention(row: Mapping[str, str | None], order: int) -> PersonMention:
    """The mention of one input row (DESIGN §5 columns; missing ones are unknown)."""
    get = row.get
    problems: list[str] = []
    given_raw = _field(row, "given_name")
    given, tokens, given_forms, token_forms, given_phonetic = _given_parts(given_raw)
    first, second, first_phonetic, second_phonetic = _surname_parts(
        (get("first_surname") or "").strip(), (get("second_surname") or "").strip()
    )
    curp_raw = (get("curp") or "").strip()
    evidence = curp_evidence(curp_raw) if curp_raw else None
    if curp_raw and (evidence is None or not evidence.valid):
        problems.append("curp: invalid, kept as weak evidence")
    dob, dob_problem = _dob((get("date_of_birth") or "").strip())
    if dob_problem:
        problems.append(dob_problem)
    if evidence is not None and evidence.birth_date is not None:
        # The CURP's date fills a missing date, and completes a partial one it agrees with
        # ("1956" and a CURP born 1956-09-20): the more precise date is the better evidence.
        born: dt.date = evidence.birth_date
        if dob is None or (
            dob.day is None
            and dob.year == born.year
            and (dob.month is None or dob.month == born.month)
        ):
            dob = PartialDate(born.year, born.month, born.day)
    sex, sex_problem = _sex((get("sex") or "").strip())
    if sex_problem:
        problems.append(sex_problem)
    if not sex and evidence is not None and evidence.sex:
        sex = evidence.sex
    document = (get("document_number") or "").strip()
    phone = (get("phone") or "").strip()
    prefix = evidence.text[:10] if evidence else _derived_prefix(tokens, first, second, dob)
    return PersonMention(
        record_id=(get("record_id") or "").strip(),
        order=order,
        given=given,
        given_tokens=tokens,
        given_forms=given_forms,
        token_forms=token_forms,
        given_phonetic=given_phonetic,
        first_surname=first,
        second_surname=second,
        first_phonetic=first_phonetic,
        second_phonetic=second_phonetic,
        name_tokens=_name_tokens(tokens, first, second),
        dob=dob,
        curp=evidence.text if evidence and evidence.valid else "",
        curp_text=evidence.text if evidence else "",
        curp_prefix=prefix,
        sex=sex,
        birth_state=_state(
            (get("birth_state") or "").strip(), evidence.state_code if evidence else None
        ),
        municipality=_municipality((get("municipality") or "").strip()),
        street=ascii_key((get("street") or "").strip()),
        document=(parse_document(document).normalized or ascii_key(document)) if document else "",
        phone=(parse_phone(phone).match_key or "") if phone else "",
        aliases=alias_keys((get("alias") or "").strip()),
        problems=tuple(problems),
    )
