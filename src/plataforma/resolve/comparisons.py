"""The comparisons, defined once: each turns a pair of mentions into one agreement level.

Batch resolution, training and the real-time scorer all call these functions, so a level
means the same thing everywhere. Level 0 of every comparison is "unknown on one side": it
carries no weight. Each level has Fellegi–Sunter probabilities: m (how often two records of
the same person fall in it) and u (how often two records of different people do); the shipped
defaults below are our reading of how Mexican records err, and training replaces them.

The two surnames are ONE comparison, not two: whether the second is missing, swapped or
different only means something together with the first, and scoring them separately would
count the same evidence twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from plataforma.model.values.birth_dates import DobRelation, dob_relation
from plataforma.model.values.given_names import given_name_forms
from plataforma.model.values.phonetic import phonetic_key

from .mention import PersonMention

__all__ = ["COMPARISONS", "Comparison", "comparison_levels"]

_FUZZY = 0.9  # Jaro–Winkler similarity at which two name words are one word mistyped


@dataclass(frozen=True, slots=True)
class Comparison:
    """One comparison: its levels (level 0 = unknown), default m and u, and how to compare."""

    name: str
    levels: tuple[str, ...]
    m: tuple[float, ...]
    u: tuple[float, ...]
    compare: Callable[[PersonMention, PersonMention], int]
    # The levels whose weight depends on how common the agreed value is (term frequency).
    tf_levels: tuple[int, ...] = ()


def _similar(a: str, b: str) -> bool:
    return a == b or JaroWinkler.normalized_similarity(a, b) >= _FUZZY


def _token_match(a: str, fa: frozenset[str], b: str, fb: frozenset[str]) -> int:
    """How two given-name tokens agree: 1 same, 2 nickname or abbreviation, 3 spelling
    (of the tokens or of their formal names: "Franciscoo" and "Paco"), 0 not at all."""
    if a == b:
        return 1
    if fa & fb:
        return 2
    if len(a) > 1 and len(b) > 1 and any(_close(x, y) for x in fa for y in fb):
        return 3
    return 0


def _close(a: str, b: str) -> bool:
    return _similar(a, b) or Levenshtein.distance(a, b, score_cutoff=1) <= 1


def _joined_agree(a: str, b: str) -> int:
    """1 when the names are equal without spaces, 2 when one edit apart that way, else 0."""
    x, y = a.replace(" ", ""), b.replace(" ", "")
    if x == y:
        return 1
    return 2 if min(len(x), len(y)) >= 6 and Levenshtein.distance(x, y, score_cutoff=1) <= 1 else 0


@lru_cache(maxsize=1 << 18)
def _given_level(a: str, b: str) -> int:
    """The given-name level of two given-name fields (matching form): names repeat so much
    that caching on the pair of strings answers most comparisons without work."""
    ta, tb = a.split(), b.split()
    fa = [given_name_forms(t) for t in ta]
    fb = [given_name_forms(t) for t in tb]
    if len(ta) > len(tb):
        ta, tb, fa, fb = tb, ta, fb, fa
    kinds = [
        max(_token_match(t, f, u, g) for u, g in zip(tb, fb, strict=True))
        for t, f in zip(ta, fa, strict=True)
    ]
    if all(kinds):
        if max(kinds) == 1:
            return 3  # one compound name written in part, or in another order
        return 4 if 3 in kinds else 2
    joined = _joined_agree(a, b)
    if joined:
        return 3 if joined == 1 else 4  # "EmilioPatricio": a space lost or mistyped
    if any(kinds):
        return 5  # one name shared, another different: "José Luis" and "José Antonio"
    if (len(ta[0]) == 1 or len(tb[0]) == 1) and ta[0][0] == tb[0][0]:
        return 6  # an initial
    if phonetic_key(ta[0]) == phonetic_key(tb[0]):
        return 4
    return 7


def _given(a: PersonMention, b: PersonMention) -> int:
    if not a.given_tokens or not b.given_tokens:
        return 0
    if a.given == b.given:
        return 1
    level = _given_level(a.given, b.given) if a.given < b.given else _given_level(b.given, a.given)
    if level == 7 and _fields_swapped(a, b):
        return 4
    return level


def _fields_swapped(a: PersonMention, b: PersonMention) -> bool:
    """Given name and first surname typed in each other's fields ("PÉREZ, JUAN" read wrong)."""
    if not a.first_surname or not b.first_surname:
        return False
    ga, gb = a.given_tokens[0], b.given_tokens[0]
    if ga[0] != b.first_surname[0] or gb[0] != a.first_surname[0]:
        return False  # a swap keeps first letters (typos there are rare): the cheap test first
    return _close(ga, b.first_surname) and _close(gb, a.first_surname)


def _surnames(a: PersonMention, b: PersonMention) -> int:
    a1, a2, b1, b2 = a.first_surname, a.second_surname, b.first_surname, b.second_surname
    if not a1 or not b1:
        return 0
    first_exact = a1 == b1
    first_close = first_exact or _similar(a1, b1) or a.first_phonetic == b.first_phonetic
    if a2 and b2:
        if first_exact and a2 == b2:
            return 1
        if first_close and (a2 == b2 or _similar(a2, b2)):
            return 2
        if _similar(a1, b2) and _similar(a2, b1):
            return 3  # swapped order
        if first_close:
            return 6  # same first surname, another second one: a relative, or another person
    elif first_exact:
        return 4
    elif first_close:
        return 5
    if (a1 in b.name_tokens or (a2 and a2 in b.name_tokens)) and (
        b1 in a.name_tokens or (b2 and b2 in a.name_tokens)
    ):
        return 7  # surnames typed in other fields, or one missing and the other moved
    return 8


def _dob(a: PersonMention, b: PersonMention) -> int:
    return int(dob_relation(a.dob, b.dob))


def _curp(a: PersonMention, b: PersonMention) -> int:
    if not a.curp_text or not b.curp_text:
        return 0
    if a.curp_text == b.curp_text:
        return 1 if a.curp else 2
    if a.curp and b.curp:
        # Two valid CURPs are two people, unless they differ in one character: a typo the
        # check digit happened not to catch (it misses ~1 in 10; a homoclave off by 5).
        differ = [k for k in range(18) if a.curp[k] != b.curp[k]]
        return 2 if len(differ) == 1 else 4
    if Levenshtein.distance(a.curp_text, b.curp_text, score_cutoff=2) <= 2:
        return 2
    if a.curp_prefix == b.curp_prefix:
        return 3
    return 5


def _birth_state(a: PersonMention, b: PersonMention) -> int:
    if not a.birth_state or not b.birth_state:
        return 0
    return 1 if a.birth_state == b.birth_state else 2


def _municipality(a: PersonMention, b: PersonMention) -> int:
    if not a.municipality or not b.municipality:
        return 0
    return 1 if a.municipality == b.municipality else 2


def _sex(a: PersonMention, b: PersonMention) -> int:
    if not a.sex or not b.sex or "X" in (a.sex, b.sex):
        return 0
    return 1 if a.sex == b.sex else 2


def _street(a: PersonMention, b: PersonMention) -> int:
    if not a.street or not b.street:
        return 0
    if a.street == b.street:
        return 1
    return 2 if JaroWinkler.normalized_similarity(a.street, b.street) >= 0.88 else 3


def _document(a: PersonMention, b: PersonMention) -> int:
    if not a.document or not b.document:
        return 0
    if a.document == b.document:
        return 1
    # One edit, a transposition included ("4620985"/"4620958"): how numbers are mistyped.
    return 2 if OSA.distance(a.document, b.document, score_cutoff=1) <= 1 else 3


def _phone(a: PersonMention, b: PersonMention) -> int:
    if not a.phone or not b.phone:
        return 0
    if a.phone == b.phone:
        return 1
    return 2 if a.phone[-7:] == b.phone[-7:] else 3


def _alias(a: PersonMention, b: PersonMention) -> int:
    if not a.aliases or not b.aliases:
        return 0
    return 1 if a.aliases & b.aliases else 2


_D = DobRelation
COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "given_name",
        (
            "unknown",
            "exact",
            "nickname or abbreviation",
            "part of a compound name",
            "similar spelling",
            "one name shared, another differs",
            "initial",
            "different",
        ),
        (1, 0.70, 0.08, 0.10, 0.08, 0.01, 0.01, 0.02),
        (1, 0.012, 0.002, 0.002, 0.01, 0.02, 0.004, 0.95),
        _given,
        tf_levels=(1,),
    ),
    Comparison(
        "surnames",
        (
            "unknown",
            "both exact",
            "both similar",
            "swapped",
            "first exact, second missing",
            "first similar, second missing",
            "first agrees, second differs",
            "in other name fields",
            "different",
        ),
        (1, 0.62, 0.12, 0.02, 0.16, 0.03, 0.02, 0.02, 0.01),
        (1, 0.0002, 0.0002, 0.00002, 0.01, 0.003, 0.01, 0.0005, 0.976),
        _surnames,
        tf_levels=(1, 4),
    ),
    Comparison(
        "date_of_birth",
        tuple(r.name.lower().replace("_", " ") for r in _D),
        (1, 0.84, 0.03, 0.04, 0.02, 0.04, 0.01, 0.02),
        (1, 0.00006, 0.00001, 0.0004, 0.0001, 0.02, 0.08, 0.9),
        _dob,
    ),
    Comparison(
        "curp",
        (
            "unknown",
            "exact",
            "one or two characters differ",
            "initials and birth date agree",
            "two valid CURPs differ",
            "different",
        ),
        (1, 0.90, 0.07, 0.02, 0.0005, 0.0095),
        (1, 1e-8, 1e-7, 1e-5, 0.99, 0.01),
        _curp,
    ),
    Comparison("sex", ("unknown", "same", "different"), (1, 0.985, 0.015), (1, 0.5, 0.5), _sex),
    Comparison(
        "birth_state",
        ("unknown", "same", "different"),
        (1, 0.95, 0.05),
        (1, 0.06, 0.94),
        _birth_state,
    ),
    Comparison(
        "municipality",
        ("unknown", "same", "different"),
        (1, 0.6, 0.4),
        (1, 0.03, 0.97),
        _municipality,
    ),
    Comparison(
        "street",
        ("unknown", "exact", "similar", "different"),
        (1, 0.45, 0.15, 0.4),
        (1, 0.0005, 0.01, 0.9895),
        _street,
    ),
    Comparison(
        "document",
        ("unknown", "exact", "one character differs", "different"),
        (1, 0.9, 0.07, 0.03),
        (1, 1e-7, 1e-5, 0.99999),
        _document,
    ),
    Comparison(
        "phone",
        ("unknown", "exact", "same last seven digits", "different"),
        (1, 0.7, 0.05, 0.25),
        (1, 1e-6, 1e-5, 0.99999),
        _phone,
    ),
    Comparison(
        "alias",
        ("unknown", "shared", "different"),
        (1, 0.6, 0.4),
        (1, 0.02, 0.98),
        _alias,
    ),
)


def comparison_levels(a: PersonMention, b: PersonMention) -> list[int]:
    """The level of every comparison for one pair, in ``COMPARISONS`` order.

    The same functions as ``COMPARISONS[i].compare``, called directly (a test checks the
    two agree): this runs for every pair, and the generic loop cost a fifth of it.
    """
    return [
        _given(a, b),
        _surnames(a, b),
        int(dob_relation(a.dob, b.dob)),
        _curp(a, b),
        _sex(a, b),
        _birth_state(a, b),
        _municipality(a, b),
        _street(a, b),
        _document(a, b),
        _phone(a, b),
        _alias(a, b),
    ]


# Positions and level numbers the hard rules (scorer.cannot_link, scorer.identifying) and
# the vectorised batch path read: named here, next to the levels they point into.
GIVEN, SURNAMES, DOB, CURP, SEX = 0, 1, 2, 3, 4
DOCUMENT, PHONE = 8, 9
GIVEN_AGREES = (1, 2, 3, 4, 6)
GIVEN_DIFFERENT = 7
SURNAMES_AGREE = (1, 2, 3, 4, 5, 6, 7)
DOB_AGREES = (1, 2, 3, 4, 5)
DOB_DIFFERENT = int(DobRelation.DIFFERENT)
CURP_SAME = (1, 2)
CURP_CONFLICT = 4
SEX_DIFFERENT = 2
