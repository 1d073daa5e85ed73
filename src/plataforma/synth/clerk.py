"""The mistakes real clerks make when they copy a person into a record.

A repeat offender appears in several agencies' records, and rarely the same way twice: the
second surname is dropped, accents are lost, day and month of birth are swapped, a nickname
replaces the registered name, a letter slips. The resolver is judged on undoing exactly these,
so each is a small named function and the mix is a documented table.
"""

from __future__ import annotations

import itertools
import random
import unicodedata
from collections.abc import Callable
from typing import Any

from plataforma.synth.vocab import ABBREVIATIONS, HYPOCORISMS

Person = dict[str, Any]
Mistake = Callable[[Person, random.Random], None]
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def drop_second_surname(person: Person, rng: random.Random) -> None:
    person.pop("second_surname", None)


def lose_accents(person: Person, rng: random.Random) -> None:
    for field in ("given_names", "first_surname", "second_surname"):
        if person.get(field):
            person[field] = strip_accents(person[field])


def swap_day_month(person: Person, rng: random.Random) -> None:
    dob = person.get("date_of_birth")
    if dob and len(dob) == 10 and int(dob[8:10]) <= 12 and dob[5:7] != dob[8:10]:
        person["date_of_birth"] = f"{dob[:4]}-{dob[8:10]}-{dob[5:7]}"


def use_nickname(person: Person, rng: random.Random) -> None:
    """Write the hypocorism ("Pepe" for José) or the clerk's abbreviation ("Ma. Guadalupe")."""
    names = person["given_names"].split(" ")
    for i, name in enumerate(names):
        if name in ABBREVIATIONS and len(names) > 1 and rng.random() < 0.5:
            names[i] = ABBREVIATIONS[name]
            break
        if name in HYPOCORISMS:
            names[i] = HYPOCORISMS[name]
            break
    else:
        if len(names) > 1:
            names = names[:1]  # only the first of a compound given name
    person["given_names"] = " ".join(names)


def typo(person: Person, rng: random.Random) -> None:
    """One keystroke error in a name: a swapped, dropped, doubled or wrong letter."""
    field = rng.choice(["given_names", "first_surname", "second_surname"])
    text = person.get(field)
    if not text or len(text) < 4:
        return
    i = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        text = text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    elif kind == 1:
        text = text[:i] + text[i + 1 :]
    elif kind == 2:
        text = text[:i] + text[i] + text[i:]
    else:
        text = text[:i] + rng.choice(_LETTERS).lower() + text[i + 1 :]
    person[field] = text


def drop_birth_date(person: Person, rng: random.Random) -> None:
    dob = person.pop("date_of_birth", None)
    if dob and rng.random() < 0.3:
        person["date_of_birth"] = dob[:4]  # only the year, as the person stated it


def mistype_curp(person: Person, rng: random.Random) -> None:
    """A wrong character in the CURP: kept as written, flagged invalid by the platform."""
    curp = person.get("curp")
    if curp:
        i = rng.randrange(4, 17)
        replacement = rng.choice("0123456789" if curp[i].isdigit() else _LETTERS)
        if replacement != curp[i]:
            person["curp"] = curp[:i] + replacement + curp[i + 1 :]


def upper_case(person: Person, rng: random.Random) -> None:
    for field in ("given_names", "first_surname", "second_surname"):
        if person.get(field):
            person[field] = person[field].upper()


# (mistake, relative frequency): dropped second surnames and lost accents dominate in practice.
MISTAKES: tuple[tuple[Mistake, float], ...] = (
    (drop_second_surname, 0.22),
    (lose_accents, 0.22),
    (use_nickname, 0.14),
    (typo, 0.14),
    (swap_day_month, 0.08),
    (drop_birth_date, 0.08),
    (upper_case, 0.08),
    (mistype_curp, 0.04),
)
_FUNCTIONS = [m for m, _ in MISTAKES]
_CUMULATIVE = list(itertools.accumulate(w for _, w in MISTAKES))


def as_written(person: Person, rng: random.Random, error_rate: float) -> Person:
    """A copy of ``person`` as one clerk wrote it: sometimes exact, often with 1–3 mistakes."""
    copy = dict(person)
    if rng.random() >= error_rate:
        return copy
    count = 1 + (rng.random() < 0.35) + (rng.random() < 0.1)
    for mistake in rng.choices(_FUNCTIONS, cum_weights=_CUMULATIVE, k=count):
        mistake(copy, rng)
    return copy
