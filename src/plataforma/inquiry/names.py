"""Names as officers type them at a stop: candidates from the index, then a similarity score.

The person key is ``GIVEN|SURNAME1|SURNAME2|DATE_OF_BIRTH``, already free of accents and
case. Tolerance must stay bounded (no scan of millions of keys), so candidates come from a
few narrow reads of the index:

* the typed key itself, and with the second surname left out on either side (people give
  one surname, clerks write two);
* *spelling variants* of each name part: transposed, doubled and left-out letters (typing
  errors) and the letters Spanish spelling confuses (B/V, S/Z/C, Y/I/LL, G/J, H dropped);
  each variant is an exact key, all probed in one ``IN`` list (one misspelt part at a time);
* with a full date of birth, the CURPs that start with the name's initials and that date
  (``curp_name_prefix``): a typing error anywhere but in those four letters still lands there.

Every candidate is then scored part by part with Jaro-Winkler (``rapidfuzz``); a date of
birth that differs rejects it, a missing one weakens it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import JaroWinkler

from plataforma.model.values import normalize_text, parse_person_name

# Letters Spanish spelling confuses; each is tried in place of the other.
_CONFUSED = {
    "B": "V",
    "V": "B",
    "S": "ZC",
    "Z": "SC",
    "C": "SZK",
    "K": "C",
    "Y": "I",
    "I": "Y",
    "G": "J",
    "J": "G",
    "X": "J",
    "Q": "K",
}
# Below this a part is a different name; the weights put the surnames first (given names have
# more nicknames and abbreviations).
PART_THRESHOLD = 0.84
ACCEPT = 0.9
_WEIGHTS = (0.3, 0.45, 0.25)


def spelling_variants(word: str) -> set[str]:
    """``word`` with a letter dropped, two swapped, a vowel or an H added, a letter confused."""
    out: set[str] = set()
    for i in range(len(word) + 1):
        out.update(word[:i] + vowel + word[i:] for vowel in "AEIOU")  # a vowel left out
    out.update((word + "S", word + "Z"))  # the plural-sounding ending left out
    for i in range(len(word)):
        out.add(word[: i + 1] + word[i:])  # a doubled letter typed once (GUERERO)
        out.add(word[:i] + word[i + 1 :])
        if i + 1 < len(word) and word[i] != word[i + 1]:
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])
        for other in _CONFUSED.get(word[i], ""):
            out.add(word[:i] + other + word[i + 1 :])
        if word[i : i + 2] == "LL":
            out.add(word[:i] + "Y" + word[i + 2 :])
    if "H" not in word[:1]:
        out.add("H" + word)  # the silent H: "ERNANDEZ" for HERNANDEZ
    out.discard(word)
    out.discard("")
    return out


@dataclass(frozen=True, slots=True)
class NameQuery:
    """A typed name, normalised into the three key parts, and a date of birth (ISO) if any."""

    given: str
    first: str
    second: str
    born: str  # "", a year, a year-month or a full date

    @property
    def full_date(self) -> bool:
        return len(self.born) == len("1990-01-31")

    def key(
        self, given: str | None = None, first: str | None = None, second: str | None = None
    ) -> str:
        """The stored key of this name (a part replaced), up to and including the date."""
        g = self.given if given is None else given
        s1 = self.first if first is None else first
        s2 = self.second if second is None else second
        return f"{g}|{s1}|{s2}|{self.born}"

    def variant_keys(self) -> set[str]:
        """Exact keys of the typed name with one part misspelt, and without second surname."""
        keys = {self.key(given=v) for v in spelling_variants(self.given)}
        keys |= {self.key(first=v) for v in spelling_variants(self.first)}
        if self.second:
            keys |= {self.key(second=v) for v in spelling_variants(self.second)}
            keys.add(self.key(second=""))
        # (A misspelt name entered without a date of birth is not looked for: the pair of
        # weaknesses doubles the probes for a candidate too weak to be a lead.)
        return keys


def name_parts(key: str) -> tuple[str, str, str, str]:
    """``GIVEN|S1|S2|DOB`` split into its four parts."""
    given, first, second, born = [*key.split("|"), "", "", ""][:4]
    return given, first, second, born


@dataclass(frozen=True, slots=True)
class NameScore:
    score: float
    exact: bool
    date_of_birth: str  # the candidate's, "" when it has none


def score_key(query: NameQuery, key: str) -> NameScore | None:
    """How well a stored name key matches ``query``; ``None`` when it does not."""
    given, first, second, born = name_parts(key)
    if query.born and born and not born.startswith(query.born):
        return None  # a different date of birth is a different person
    parts = [_similar(query.given, given), _similar(query.first, first)]
    # A second surname missing on either side neither helps nor hurts.
    parts.append(_similar(query.second, second) if query.second and second else 1.0)
    if min(parts) < PART_THRESHOLD:
        return None
    score = sum(w * p for w, p in zip(_WEIGHTS, parts, strict=True))
    if query.born and not born:
        score -= 0.05  # the record cannot confirm the date of birth
    if score < ACCEPT:
        return None
    exact = (given, first) == (query.given, query.first) and (
        second == query.second or not query.second or not second
    )
    return NameScore(round(score, 3), exact and (born == query.born or not query.born), born)


def _similar(typed: str, stored: str) -> float:
    if typed == stored:
        return 1.0
    # A given name typed short ("JUAN" for "JUAN CARLOS") is the same person's first name.
    if typed and stored and (stored.startswith(typed + " ") or typed.startswith(stored + " ")):
        return 0.95
    return float(JaroWinkler.similarity(typed, stored))


def key_of_fields(fields: Mapping[str, Any]) -> str:
    """The name key a person-field block is stored under (as the model's ``person_keys``)."""
    name = parse_person_name(
        fields.get("given_names"), fields.get("first_surname"), fields.get("second_surname")
    )
    return f"{name.key}|{fields.get('date_of_birth') or ''}"


def normal(part: str | None) -> str:
    return normalize_text(part or "")
