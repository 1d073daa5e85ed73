"""Our comparison levels as SQL conditions over the prepared columns (`splink_table`).

Each comparison is a list of ``(our level, label, condition)`` in the order a SQL CASE tries
them, which is the order our Python comparison function decides in (`comparisons.py`), not
the order of the level numbers: one of our levels may be reached by two conditions (a
spelling variant of the first given name, or the same sound), and then it is two Splink
levels sharing one m and u. Level 0 (unknown on one side) is the null level; the last level
is the else.

Where SQL cannot say exactly what Python says, the gap is named next to the condition; the
tests measure how often the two disagree on real pairs.
"""

from __future__ import annotations

from collections.abc import Callable

from .splink_sql import Sql

__all__ = ["LEVELS", "Level"]

Render = Callable[[Sql], str]
Level = tuple[int, str, Render]


def _null(*columns: str) -> Render:
    text = " OR ".join(f"{c}_l IS NULL OR {c}_r IS NULL" for c in columns)
    return lambda sql: text


def _both(text: str) -> Render:
    return lambda sql: text


_REST_AGREES = "(given_rest_l = given_rest_r OR given_rest_l = '' OR given_rest_r = '')"

# Given names. Gap: Python matches every token of the shorter name against the longer one;
# here the first token decides, the others must agree or be absent ("José Luis"/"Pepe").
GIVEN: list[Level] = [
    (0, "unknown", _null("given")),
    (1, "exact", _both("given_l = given_r")),
    (
        3,
        "part of a compound name",
        lambda s: (
            f"({s.contains_all('given_tokens_l', 'given_tokens_r')}"
            f" OR {s.contains_all('given_tokens_r', 'given_tokens_l')})"
        ),
    ),
    (
        2,
        "nickname or abbreviation",
        lambda s: f"{s.overlap('given_forms_l', 'given_forms_r')} AND {_REST_AGREES}",
    ),
    (
        4,
        "similar spelling",
        lambda s: (
            f"length(given1_l) > 1 AND length(given1_r) > 1 AND {_REST_AGREES}"
            f" AND ({s.close('given1_l', 'given1_r')}"
            f" OR {s.close('given_formal_l', 'given_formal_r')})"
        ),
    ),
    (3, "space lost", _both("given_joined_l = given_joined_r")),
    (
        4,
        "one edit without spaces",
        lambda s: (
            "length(given_joined_l) >= 6 AND length(given_joined_r) >= 6"
            f" AND {s.levenshtein('given_joined_l', 'given_joined_r')} <= 1"
        ),
    ),
    (
        5,
        "one name shared, another differs",
        lambda s: s.overlap("given_all_forms_l", "given_all_forms_r"),
    ),
    (
        6,
        "initial",
        _both(
            "(length(given1_l) = 1 OR length(given1_r) = 1)"
            " AND substr(given1_l, 1, 1) = substr(given1_r, 1, 1)"
        ),
    ),
    (
        4,
        "same sound, or typed in the surname field",
        lambda s: (
            "given_phonetic_l = given_phonetic_r OR (first_surname_l IS NOT NULL"
            f" AND first_surname_r IS NOT NULL AND {s.close('given1_l', 'first_surname_r')}"
            f" AND {s.close('given1_r', 'first_surname_l')})"
        ),
    ),
    (7, "different", _both("TRUE")),
]

_BOTH_SECONDS = "second_surname_l IS NOT NULL AND second_surname_r IS NOT NULL"
_ONE_SECOND = "(second_surname_l IS NULL OR second_surname_r IS NULL)"


def _first_close(s: Sql) -> str:
    return (
        f"({s.similar('first_surname_l', 'first_surname_r')}"
        " OR first_phonetic_l = first_phonetic_r)"
    )


def _crossed(s: Sql) -> str:
    """Surnames typed in other name fields: each side's surname among the other's words."""
    left = (
        f"({s.contains('name_tokens_r', 'first_surname_l')} OR (second_surname_l IS NOT NULL"
        f" AND {s.contains('name_tokens_r', 'second_surname_l')}))"
    )
    right = (
        f"({s.contains('name_tokens_l', 'first_surname_r')} OR (second_surname_r IS NOT NULL"
        f" AND {s.contains('name_tokens_l', 'second_surname_r')}))"
    )
    return f"name_tokens_l IS NOT NULL AND name_tokens_r IS NOT NULL AND {left} AND {right}"


SURNAMES: list[Level] = [
    (0, "unknown", _null("first_surname")),
    (
        1,
        "both exact",
        _both(
            f"{_BOTH_SECONDS} AND first_surname_l = first_surname_r"
            " AND second_surname_l = second_surname_r"
        ),
    ),
    (
        2,
        "both similar",
        lambda s: (
            f"{_BOTH_SECONDS} AND {_first_close(s)}"
            f" AND {s.similar('second_surname_l', 'second_surname_r')}"
        ),
    ),
    (
        3,
        "swapped",
        lambda s: (
            f"{_BOTH_SECONDS} AND {s.similar('first_surname_l', 'second_surname_r')}"
            f" AND {s.similar('second_surname_l', 'first_surname_r')}"
        ),
    ),
    (
        6,
        "first agrees, second differs",
        lambda s: f"{_BOTH_SECONDS} AND {_first_close(s)}",
    ),
    (
        4,
        "first exact, second missing",
        _both(f"{_ONE_SECOND} AND first_surname_l = first_surname_r"),
    ),
    (5, "first similar, second missing", lambda s: f"{_ONE_SECOND} AND {_first_close(s)}"),
    (7, "in other name fields", _crossed),
    (8, "different", _both("TRUE")),
]

_FULL = "dob_day_l IS NOT NULL AND dob_day_r IS NOT NULL"
DATE_OF_BIRTH: list[Level] = [
    (0, "unknown", _null("dob_year")),
    (1, "exact", _both(f"{_FULL} AND dob_iso_l = dob_iso_r")),
    (
        2,
        "swapped day month",
        _both(
            f"{_FULL} AND dob_year_l = dob_year_r AND dob_month_l = dob_day_r"
            " AND dob_day_l = dob_month_r"
        ),
    ),
    # Both ISO strings are ten characters: one edit between them is one digit changed.
    (3, "one digit", lambda s: f"{_FULL} AND {s.levenshtein('dob_iso_l', 'dob_iso_r')} = 1"),
    (
        4,
        "year off by one",
        _both(
            f"{_FULL} AND abs(dob_year_l - dob_year_r) = 1"
            " AND dob_month_l = dob_month_r AND dob_day_l = dob_day_r"
        ),
    ),
    (
        5,
        "partial agrees",
        _both(
            "(dob_day_l IS NULL OR dob_day_r IS NULL) AND dob_year_l = dob_year_r"
            " AND (dob_month_l IS NULL OR dob_month_r IS NULL OR dob_month_l = dob_month_r)"
        ),
    ),
    (6, "within two years", _both("abs(dob_year_l - dob_year_r) <= 2")),
    (7, "different", _both("TRUE")),
]

_VALID = "curp_l IS NOT NULL AND curp_r IS NOT NULL"
CURP: list[Level] = [
    (0, "unknown", _null("curp_text")),
    (1, "exact", _both("curp_text_l = curp_text_r AND curp_l IS NOT NULL")),
    (2, "same text, invalid", _both("curp_text_l = curp_text_r")),
    # Two valid CURPs one character apart: a typo the check digit missed.
    (2, "valid, one character", lambda s: f"{_VALID} AND {s.levenshtein('curp_l', 'curp_r')} = 1"),
    (4, "two valid CURPs differ", _both(_VALID)),
    (
        2,
        "one or two characters differ",
        lambda s: f"{s.levenshtein('curp_text_l', 'curp_text_r')} <= 2",
    ),
    (3, "initials and birth date agree", _both("curp_prefix_l = curp_prefix_r")),
    (5, "different", _both("TRUE")),
]


def _exact(column: str, labels: tuple[str, str] = ("same", "different")) -> list[Level]:
    return [
        (0, "unknown", _null(column)),
        (1, labels[0], _both(f"{column}_l = {column}_r")),
        (2, labels[1], _both("TRUE")),
    ]


STREET: list[Level] = [
    (0, "unknown", _null("street")),
    (1, "exact", _both("street_l = street_r")),
    (2, "similar", lambda s: f"{s.jaro_winkler('street_l', 'street_r')} >= 0.88"),
    (3, "different", _both("TRUE")),
]
DOCUMENT: list[Level] = [
    (0, "unknown", _null("document")),
    (1, "exact", _both("document_l = document_r")),
    (
        2,
        "one character differs",
        lambda s: f"{s.transposition_distance('document_l', 'document_r')} <= 1",
    ),
    (3, "different", _both("TRUE")),
]
PHONE: list[Level] = [
    (0, "unknown", _null("phone")),
    (1, "exact", _both("phone_l = phone_r")),
    (2, "same last seven digits", _both("phone7_l = phone7_r")),
    (3, "different", _both("TRUE")),
]
ALIAS: list[Level] = [
    (0, "unknown", _null("aliases")),
    (1, "shared", lambda s: s.overlap("aliases_l", "aliases_r")),
    (2, "different", _both("TRUE")),
]

# In `comparisons.COMPARISONS` order; the model's m and u are indexed the same way.
LEVELS: tuple[tuple[str, list[Level]], ...] = (
    ("given_name", GIVEN),
    ("surnames", SURNAMES),
    ("date_of_birth", DATE_OF_BIRTH),
    ("curp", CURP),
    ("sex", _exact("sex")),
    ("birth_state", _exact("birth_state")),
    ("municipality", _exact("municipality")),
    ("street", STREET),
    ("document", DOCUMENT),
    ("phone", PHONE),
    ("alias", ALIAS),
)
