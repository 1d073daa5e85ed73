"""Each clerk mistake does what its name says."""

from __future__ import annotations

import random
from datetime import date

from plataforma.model.values import make_curp, parse_curp
from plataforma.synth import clerk

PERSON = {
    "given_names": "José Guadalupe",
    "first_surname": "Núñez",
    "second_surname": "Hernández",
    "date_of_birth": "1990-03-07",
}


def _apply(mistake: clerk.Mistake) -> dict[str, str]:
    person = dict(PERSON)
    mistake(person, random.Random(3))
    return person


def test_dropped_second_surname_and_lost_accents() -> None:
    assert "second_surname" not in _apply(clerk.drop_second_surname)
    plain = _apply(clerk.lose_accents)
    assert (plain["first_surname"], plain["given_names"]) == ("Nunez", "Jose Guadalupe")


def test_swapped_day_and_month() -> None:
    assert _apply(clerk.swap_day_month)["date_of_birth"] == "1990-07-03"


def test_nickname_replaces_or_abbreviates_the_given_name() -> None:
    assert _apply(clerk.use_nickname)["given_names"] in ("Pepe Guadalupe", "J. Guadalupe")


def test_typo_changes_one_name_slightly() -> None:
    changed = _apply(clerk.typo)
    diffs = [
        f for f in ("given_names", "first_surname", "second_surname") if changed[f] != PERSON[f]
    ]
    assert len(diffs) <= 1


def test_mistyped_curp_is_mostly_caught_by_the_check_digit() -> None:
    real = make_curp("José Guadalupe", "Núñez", "Hernández", date(1990, 3, 7), "H", "JC", 4)
    assert parse_curp(real).valid
    typed = []
    for seed in range(40):
        person = {**PERSON, "curp": real}
        clerk.mistype_curp(person, random.Random(seed))
        typed.append(person["curp"])
    assert sum(not parse_curp(c).valid for c in typed) >= 30


def test_as_written_copies_and_errs_at_the_given_rate() -> None:
    original = dict(PERSON)
    rng = random.Random(1)
    always = [clerk.as_written(original, rng, error_rate=1.0) for _ in range(100)]
    never = [clerk.as_written(original, rng, error_rate=0.0) for _ in range(100)]
    assert original == PERSON
    assert sum(copy != PERSON for copy in always) >= 80
    assert all(copy == PERSON for copy in never)
