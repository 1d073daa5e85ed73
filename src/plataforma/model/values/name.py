"""Person names in the Mexican order: given names, first surname, second surname.

Names are the weakest identifier we have and the most common, so their keys must absorb the
usual variation (accents, Ñ, case, "Ma." for María, punctuation) without losing the parts
that distinguish people. Particles ("de la", "del", "y") stay attached to their surname in
keys, because "de la Cruz" and "Cruz" are different families, but are dropped from the token
set used for fuzzy comparison, where they would only add noise.
"""

from __future__ import annotations

from dataclasses import dataclass

from .particles import PARTICLES
from .text import normalize_text

__all__ = [
    "PersonName",
    "normalize_name_part",
    "normalize_text",
    "parse_person_name",
    "split_full_name",
]

# Given names that contain particles; without this list "MARIA DEL CARMEN LOPEZ" would be
# read as given "MARIA", surnames "DEL CARMEN" and "LOPEZ".
_COMPOUND_GIVEN = sorted(
    (
        tuple(n.split())
        for n in [
            "MARIA DE LOS ANGELES",
            "MARIA DEL CARMEN",
            "MARIA DE JESUS",
            "MARIA DE LOURDES",
            "JOSE DE JESUS",
            "MARIA DEL ROSARIO",
            "MARIA DE LA LUZ",
            "MARIA DEL SOCORRO",
            "MARIA DE LA PAZ",
            "MARIA DEL PILAR",
            "MARIA DE LA CRUZ",
            "MARIA DEL REFUGIO",
            "MARIA DE GUADALUPE",
            "MARIA DEL CONSUELO",
            "MARIA DE LA CONCEPCION",
            "MARIA DE LOS DOLORES",
            "MARIA DEL MAR",
            "MARIA DE LA SALUD",
            "MARIA DEL PERPETUO SOCORRO",
            "JOSE DE LA CRUZ",
            "JOSE DE LA LUZ",
            "JOSE DEL CARMEN",
            "JUAN DE DIOS",
            "JUAN DE LA CRUZ",
            "JUAN DE JESUS",
            "MA DE LOS ANGELES",
            "MA DEL CARMEN",
            "MA DE JESUS",
            "MA DE LOURDES",
            "MA DE LA LUZ",
            "MA DEL ROSARIO",
            "MA DE GUADALUPE",
        ]
    ),
    key=len,
    reverse=True,
)


def normalize_name_part(s: str) -> str:
    """The matching form of one name part: uppercase, no accents (Ñ → N), no punctuation."""
    return normalize_text(s)


def _clean(part: str | None) -> str | None:
    return (" ".join(part.split()) or None) if part else None


def _given_key(given: str | None) -> str:
    # "Ma." is how forms abbreviate María; expand it so both spellings share a key.
    norm = normalize_text(given or "")
    if norm == "MA" or norm.startswith("MA "):
        return "MARIA" + norm[2:]
    return norm


def _display_word(word: str) -> str:
    norm = normalize_text(word)
    if norm in ("MC", "MAC"):
        return norm.title()
    if norm in PARTICLES:
        return word.lower()
    return "-".join(w[:1].upper() + w[1:].lower() for w in word.split("-"))


@dataclass(frozen=True, slots=True)
class PersonName:
    """A name as written, split into its three Mexican parts."""

    given_names: str | None
    first_surname: str | None
    second_surname: str | None

    @property
    def display(self) -> str:
        """Title case with lowercase particles: "Juan Carlos de la Cruz Pérez"."""
        parts = (self.given_names, self.first_surname, self.second_surname)
        return " ".join(_display_word(w) for p in parts if p for w in p.split())

    @property
    def key(self) -> str:
        """Exact-match key "GIVEN|SURNAME1|SURNAME2", particles kept ("DE LA CRUZ")."""
        return f"{_given_key(self.given_names)}|{self.surname_key}"

    @property
    def surname_key(self) -> str:
        """Blocking key on the surnames alone: "SURNAME1|SURNAME2"."""
        return (
            f"{normalize_text(self.first_surname or '')}|"
            f"{normalize_text(self.second_surname or '')}"
        )

    @property
    def tokens(self) -> frozenset[str]:
        """Normalised tokens of all parts without particles, for fuzzy comparison."""
        surnames = normalize_text(f"{self.first_surname or ''} {self.second_surname or ''}")
        text = f"{_given_key(self.given_names)} {surnames}"
        return frozenset(t for t in text.split() if t not in PARTICLES)


def parse_person_name(
    given_names: str | None, first_surname: str | None, second_surname: str | None
) -> PersonName:
    """Build a name from separate fields, collapsing whitespace; blank parts become `None`."""
    return PersonName(_clean(given_names), _clean(first_surname), _clean(second_surname))


def _units(words: list[str], norms: list[str]) -> list[list[str]]:
    """Group words so that particles travel with the word that follows them."""
    units: list[list[str]] = []
    pending: list[str] = []
    for word, norm in zip(words, norms, strict=True):
        pending.append(word)
        if norm not in PARTICLES:
            units.append(pending)
            pending = []
    if pending:  # trailing particles have nothing to attach to
        if units:
            units[-1].extend(pending)
        else:
            units.append(pending)
    return units


def _compound_length(norms: list[str]) -> int:
    for compound in _COMPOUND_GIVEN:
        if tuple(norms[: len(compound)]) == compound and len(norms) > len(compound):
            return len(compound)
    return 0


def _join(units: list[list[str]]) -> str | None:
    return " ".join(w for u in units for w in u) or None


def split_full_name(full: str) -> PersonName:
    """Split a one-field name into given names and two surnames.

    Reads "GIVEN NAMES SURNAME1 SURNAME2", or "SURNAME1 SURNAME2, GIVEN NAMES" when there is a
    comma. With three or more words and no particles the last two are the surnames; two words
    are a given name and one surname. A two-word given name with a single surname ("Juan
    Carlos Pérez") cannot be told apart from one given name and two surnames: it is read as
    the latter, like most Mexican records.
    """
    if "," in full:
        surname_text, _, given_text = full.partition(",")
        words = surname_text.split()
        units = _units(words, [normalize_text(w) for w in words])
        return PersonName(_clean(given_text), _join(units[:1]), _join(units[1:]))
    words = [w for w in full.split() if normalize_text(w)]
    norms = [normalize_text(w) for w in words]
    n = _compound_length(norms)
    units = _units(words[n:], norms[n:])
    if n:
        given, surnames = [words[:n], *units[:-2]], units[-2:]
    elif len(units) >= 3:
        given, surnames = units[:-2], units[-2:]
    else:
        given, surnames = units[:1], units[1:]
    return PersonName(_join(given), _join(surnames[:1]), _join(surnames[1:]))
