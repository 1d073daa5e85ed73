"""The English reasons the model, the policy and pydantic give, in the reader's language.

The value types, code tables, policy and validators explain a problem in English
("not 18 characters", "unknown state 'Jalsco'", "record marked SECRET is above your
clearance"). Those strings are the API's contract (problem documents, rejects files) and,
for flags, they are *stored* with each record. So the UI translates them where it shows
them, by pattern: each known reason is a regular expression whose named groups are carried
into a catalogue message. No code travels with a stored flag, so pattern matching is the only
way that also works for the records already in a store; ``tests/web/test_ui_messages.py``
drives every value type with bad input and fails when a reason reaches a page untranslated.

Groups named ``problem`` are translated again (reasons nest: "not a valid curp: not 18
characters"); ``field`` and ``kind`` are shown as field labels. Anything else (the value
the user typed, a code, a number) is inserted as it is.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from plataforma.web.ui.labels import (
    DISPLAYED_ENUMS,
    FIELD_LABELS,
    KIND_LABELS,
    N_,
    RECORD_TYPE_LABELS,
)

logger = logging.getLogger(__name__)

Gettext = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Reason:
    pattern: re.Pattern[str]
    message: str


def _r(pattern: str, message: str) -> Reason:
    return Reason(re.compile(pattern + r"\Z", re.DOTALL), message)


# Reasons without parameters: the English text is the message id.
EXACT: frozenset[str] = frozenset(
    {
        # identifiers kept as written (value types)
        N_("empty"),
        N_("invalid"),
        N_("not 18 characters"),
        N_("malformed CURP structure"),
        N_("unknown state code"),
        N_("impossible birth date"),
        N_("check digit mismatch"),
        N_("unexpected characters"),
        N_("not 5 to 8 characters"),
        N_("no digits"),
        N_("placeholder (all zeros)"),
        N_("not a 17-character VIN"),
        N_("contains I, O or Q"),
        N_("no serial (obliterated or missing)"),
        N_("not 3 to 20 characters"),
        N_("Mexican number must have 10 digits"),
        N_("Mexican numbers do not start with 0 or 1"),
        N_("no country code"),
        N_("international number must have 8 to 15 digits"),
        N_("malformed voter key (clave de elector)"),
        N_("malformed RFC"),
        N_("generic RFC, not a person"),
        N_("impossible date"),
        N_("NSS must have 11 digits"),
        # strict values, validators and the records service
        N_("time has no offset and no place"),
        N_("required for state and municipal agencies"),
        N_("a seizure needs at least one of drugs, cash, weapons, conveyances"),
        N_("agency and source_ref cannot change"),
        N_("empty search"),
        N_("give a name and at least one surname"),
        # pydantic
        N_("Field required"),
        N_("Extra inputs are not permitted"),
        N_("Input should have timezone info"),
        N_("Input should be a valid string"),
        N_("Input should be a valid list"),
        N_("Input should be a finite number"),
        # the policy
        N_("no role of yours enters records"),
        N_("no role of yours reads records"),
        N_("no role of yours queries records"),
        N_("a purpose (X-Purpose) is required to read records"),
        N_("a purpose (X-Purpose) is required for queries"),
        N_("a purpose (X-Purpose) is required for exports"),
        N_("public_lookup is the public lookup's purpose; declare yours"),
        N_("exports need the analyst, supervisor or administrator role"),
        N_("only auditors and administrators read the audit log"),
        N_("only administrators manage agencies, users and keys"),
        # impossible facts and bounds (model), unmappable forms and bad dates (UI)
        N_("in the future"),
        N_("date of birth in the future"),
        N_("date of birth more than 120 years ago"),
        N_("age does not match the date of birth"),
        N_("does not match the birth date in the CURP"),
        N_("year outside 1900-2200"),
        N_("the form has too many fields"),
        N_("field name too long or too deeply nested"),
        N_("field name has an empty part"),
        N_("row number out of range"),
        N_("field name used both for a value and for a group of fields"),
        N_("not a date (YYYY-MM-DD)"),
        # the audit chain
        N_("too many problems; stopped"),
        # the national person index (resolve.service, resolve.review, the review page)
        N_("no such person among the records you may read"),
        N_("judging identities needs the analyst or supervisor role"),
        N_("a purpose (X-Purpose) is required to judge identities"),
        N_("give a reason of at least 3 characters"),
        N_("a mention is always the same person as itself"),
    }
)

REASONS: tuple[Reason, ...] = (
    # the national person index
    _r(r"no review item (?P<id>\d+)", N_("no review item %(id)s")),
    _r(
        r"review item (?P<id>\d+) was already (?P<status>accepted|rejected)",
        N_("review item %(id)s was already decided"),
    ),
    _r(r"no judgement (?P<id>\d+)", N_("no judgement %(id)s")),
    _r(
        r"judgement (?P<id>\d+) was already revoked",
        N_("judgement %(id)s was already revoked"),
    ),
    _r(
        r"judgement (?P<id>\d+) says (?P<verdict>\w+): revoke it first",
        N_("judgement %(id)s says otherwise: revoke it first"),
    ),
    _r(
        r"no linked person mention (?P<id>\S+) among the records you may read",
        N_("no linked person mention %(id)s among the records you may read"),
    ),
    # value types and code tables
    _r(
        r"check digit mismatch; possibly (?P<value>\w+) \(one confusable character changed\)",
        N_("check digit mismatch; possibly %(value)s (one confusable character changed)"),
    ),
    _r(r"not (?P<low>\d+) to (?P<high>\d+) characters", N_("not %(low)s to %(high)s characters")),
    _r(r"issuing country: (?P<problem>.+)", N_("issuing country: %(problem)s")),
    _r(r"unknown country (?P<value>.+)", N_("unknown country %(value)s")),
    _r(r"unknown sex (?P<value>.+)", N_("unknown sex %(value)s")),
    _r(
        r"year out of range (?P<low>\d+)-(?P<high>\d+): (?P<value>.+)",
        N_("year out of range %(low)s-%(high)s: %(value)s"),
    ),
    _r(r"impossible month (?P<value>.+)", N_("impossible month %(value)s")),
    _r(r"impossible date (?P<value>.+)", N_("impossible date %(value)s")),
    _r(r"impossible date-time (?P<value>.+)", N_("impossible date-time %(value)s")),
    _r(r"not a date: (?P<value>.+)", N_("not a date: %(value)s")),
    _r(r"not a date-time: (?P<value>.+)", N_("not a date-time: %(value)s")),
    _r(r"unknown time zone (?P<value>.+)", N_("unknown time zone %(value)s")),
    _r(r"unknown state (?P<value>.+)", N_("unknown state %(value)s")),
    _r(
        r"unknown municipality (?P<value>.+) in state (?P<state>\w+)",
        N_("unknown municipality %(value)s in state %(state)s"),
    ),
    _r(
        r"municipality (?P<value>.+) is not in state (?P<state>\w+)",
        N_("municipality %(value)s is not in state %(state)s"),
    ),
    _r(
        r"ambiguous municipality (?P<value>.+): give the state",
        N_("ambiguous municipality %(value)s: give the state"),
    ),
    _r(r"unknown municipality (?P<value>.+)", N_("unknown municipality %(value)s")),
    _r(
        r"ambiguous crime type (?P<value>.+): give the subtipo",
        N_("ambiguous crime type %(value)s: give the subtipo"),
    ),
    _r(r"unknown crime type (?P<value>.+)", N_("unknown crime type %(value)s")),
    _r(
        r"unknown record type (?P<value>'[^']*') \(known: (?P<known>.+)\)",
        N_("unknown record type %(value)s (known: %(known)s)"),
    ),
    # search and the records service
    _r(r"not a valid (?P<kind>\w+): (?P<problem>.+)", N_("not a valid %(kind)s: %(problem)s")),
    _r(r"no (?P<type>\w+) record (?P<id>\S+)", N_("no %(type)s record %(id)s")),
    _r(r"no record (?P<id>\S+)", N_("no record %(id)s")),
    _r(
        r"record (?P<id>\S+) is at version (?P<current>-?\d+), not (?P<expected>\d+)",
        N_("record %(id)s is at version %(current)s, not %(expected)s"),
    ),
    # the policy
    _r(
        r"your roles do not enter (?P<type>\w+) records",
        N_("your roles do not enter %(type)s records"),
    ),
    _r(
        r"records of agency (?P<agency>\S+) are entered by that agency",
        N_("records of agency %(agency)s are entered by that agency"),
    ),
    _r(
        r"record marked (?P<marking>\w+) is above your clearance",
        N_("record marked %(marking)s is above your clearance"),
    ),
    _r(
        r"restricted file '(?P<file>\w+)' not granted to you",
        N_("restricted file '%(file)s' not granted to you"),
    ),
    _r(
        r"(?P<marking>\w+) records of other jurisdictions are not shared",
        N_("%(marking)s records of other jurisdictions are not shared"),
    ),
    # the audit chain
    _r(
        r"rows (?P<first>\d+)\.\.(?P<last>\d+) of the chain are missing \(deleted\)",
        N_("rows %(first)s..%(last)s of the chain are missing (deleted)"),
    ),
    _r(
        r"row (?P<seq>\d+) \(id (?P<id>\S+)\) was altered",
        N_("row %(seq)s (id %(id)s) was altered"),
    ),
    _r(
        r"the chain ends at (?P<end>-?\d+) but was checkpointed at (?P<seq>\d+) \(truncated\)",
        N_("the chain ends at %(end)s but was checkpointed at %(seq)s (truncated)"),
    ),
    _r(
        r"row (?P<seq>\d+) differs from the checkpointed head \(rewritten\)",
        N_("row %(seq)s differs from the checkpointed head (rewritten)"),
    ),
    # pydantic (the technical tail after a comma helps nobody at a form)
    _r(r"Input should be a valid number\b.*", N_("Enter a number")),
    _r(r"Input should be a valid integer\b.*", N_("Enter a whole number")),
    _r(r"Input should be a valid (?:datetime|date or datetime)\b.*", N_("Enter a date and time")),
    _r(r"Input should be a valid date\b.*", N_("Enter a date (YYYY-MM-DD)")),
    _r(r"Input should be a valid boolean\b.*", N_("Enter yes or no")),
    _r(r"Input should be a valid dictionary\b.*", N_("Fill in the group of fields")),
    _r(
        r"String should have at most (?P<n>\d+) characters?",
        N_("Should have at most %(n)s characters"),
    ),
    _r(
        r"String should have at least (?P<n>\d+) characters?",
        N_("Should have at least %(n)s characters"),
    ),
    _r(
        r"(?:List|Value) should have at least (?P<n>\d+) items? after validation, not \d+",
        N_("Give at least %(n)s"),
    ),
    _r(r"String should match pattern (?P<value>.+)", N_("Does not have the expected form")),
    _r(r"Input should be greater than or equal to (?P<n>\S+)", N_("Should be at least %(n)s")),
    _r(r"Input should be greater than (?P<n>\S+)", N_("Should be greater than %(n)s")),
    _r(r"Input should be less than or equal to (?P<n>\S+)", N_("Should be at most %(n)s")),
    _r(r"Input should be less than (?P<n>\S+)", N_("Should be less than %(n)s")),
    _r(r"Input should be (?P<options>'.+)", N_("Choose one of: %(options)s")),
    # "field: reason", as the model's own validators write it; last, it matches widely
    _r(r"(?P<field>[a-z_]+): (?P<problem>.+)", N_("%(field)s: %(problem)s")),
)

_LABEL_GROUPS = {"field": FIELD_LABELS, "kind": {**FIELD_LABELS, **KIND_LABELS}}


def translate_reason(gettext: Gettext, text: str) -> str:
    """``text`` in the catalogue's language; a reason no pattern knows is shown as it is.

    Several reasons joined with ``"; "`` (as ``InvalidRecord`` and searches join them) are
    translated one by one.
    """
    return "; ".join(_one(gettext, part) for part in text.split("; "))


def _one(gettext: Gettext, text: str) -> str:
    text = text.strip()
    translated = gettext(text)
    if text in EXACT or translated != text:  # a reason, or a UI message translated twice
        return translated
    for reason in REASONS:
        match = reason.pattern.match(text)
        if match:
            values = {
                name: _group(gettext, name, value) for name, value in match.groupdict().items()
            }
            return gettext(reason.message) % values
    _untranslated(text)
    return text


def _group(gettext: Gettext, name: str, value: str) -> str:
    if name == "problem":
        return _one(gettext, value)
    if name in _LABEL_GROUPS:
        message = _LABEL_GROUPS[name].get(value)
        return gettext(message) if message else value
    if name == "options":
        return _options(gettext, value)
    if name == "type":
        message = RECORD_TYPE_LABELS.get(value)
        return gettext(message) if message else value
    return value


def _options(gettext: Gettext, value: str) -> str:
    """Pydantic's ``'victim', 'witness' or 'other'`` as the labels the form's select shows."""
    codes = re.findall(r"'([^']*)'", value)
    for _, table in DISPLAYED_ENUMS:
        if codes and all(code in table for code in codes):
            return ", ".join(gettext(table[code]) for code in codes)
    return value


@lru_cache(maxsize=256)
def _untranslated(text: str) -> None:
    """Say once per reason that a page showed it in English (a pattern is missing here)."""
    logger.info("no translation pattern for reason %r", text)
