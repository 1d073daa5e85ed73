"""Words the national person and review pages show for a link's explanation.

The resolver explains a link in English codes (comparison ``surnames``, level ``both
similar``); these are the catalogue messages the pages translate them with, so an analyst
reads "Apellidos: ambos parecidos". A comparison or level the model gains later without a
label here is shown as written (never hidden), and `tests/web/test_person_labels.py` fails
until it has one.
"""

from __future__ import annotations

from typing import Any

from plataforma.web.ui.display import N_
from plataforma.web.ui.labels import PERSON_ROLE_LABELS

COMPARISON_LABELS: dict[str, str] = {
    "prior": N_("Starting odds"),
    "given_name": N_("Given name"),
    "surnames": N_("Surnames"),
    "date_of_birth": N_("Date of birth"),
    "curp": N_("CURP"),
    "sex": N_("Sex"),
    "birth_state": N_("State of birth"),
    "municipality": N_("Municipality"),
    "street": N_("Street"),
    "document": N_("Identity document"),
    "phone": N_("Phone"),
    "alias": N_("Alias"),
}

LEVEL_LABELS: dict[str, str] = {
    "unknown": N_("unknown"),
    "exact": N_("exact"),
    "same": N_("same"),
    "different": N_("different"),
    "similar": N_("similar"),
    "shared": N_("shared"),
    "nickname or abbreviation": N_("nickname or abbreviation"),
    "part of a compound name": N_("part of a compound name"),
    "similar spelling": N_("similar spelling"),
    "one name shared, another differs": N_("one name shared, another differs"),
    "initial": N_("initial"),
    "both exact": N_("both exact"),
    "both similar": N_("both similar"),
    "swapped": N_("swapped"),
    "first exact, second missing": N_("first exact, second missing"),
    "first similar, second missing": N_("first similar, second missing"),
    "first agrees, second differs": N_("first agrees, second differs"),
    "in other name fields": N_("in other name fields"),
    "missing": N_("missing"),
    "swapped day month": N_("day and month swapped"),
    "one digit": N_("one digit differs"),
    "year off by one": N_("year off by one"),
    "partial agrees": N_("partial date agrees"),
    "within two years": N_("within two years"),
    "one or two characters differ": N_("one or two characters differ"),
    "initials and birth date agree": N_("initials and birth date agree"),
    "two valid CURPs differ": N_("two valid CURPs differ"),
    "one character differs": N_("one character differs"),
    "same last seven digits": N_("same last seven digits"),
}

#: The role a mention has in its record: a subject record's own roles, and an incident's.
LINK_ROLE_LABELS: dict[str, str] = {
    **PERSON_ROLE_LABELS,
    "person": N_("Person record"),
    "wanted": N_("Wanted"),
    "respondent": N_("Respondent"),
    "protected": N_("Protected person"),
}

VERDICT_LABELS: dict[str, str] = {
    "same": N_("Same person"),
    "not_same": N_("Not the same person"),
    "unsure": N_("Unsure"),
}

#: Steps of the weight bars: a bar's width class is ``w0`` … ``w10``; a weight of
#: ``WEIGHT_PER_STEP`` × 10 or more fills it (a CURP or exact date of birth is ~13-16).
WEIGHT_PER_STEP = 1.5


def weight_step(weight: Any) -> int:
    """The width class (0–10) of a weight's bar: its magnitude, in steps, capped."""
    try:
        size = abs(float(weight))
    except (TypeError, ValueError):
        return 0
    return min(10, round(size / WEIGHT_PER_STEP))


def explanation_lines(explanation: dict[str, Any]) -> list[dict[str, Any]]:
    """The lines of an explanation as a page draws them: label keys, signed weight, bar."""
    lines = []
    for field in explanation.get("fields") or ():
        comparison = str(field.get("comparison", ""))
        level = str(field.get("level", ""))
        weight = float(field.get("weight") or 0.0)
        lines.append(
            {
                "comparison": comparison,
                # The prior's level names the population size ("population 12345").
                "level": "" if comparison == "prior" else level,
                "weight": weight,
                "sign": "plus" if weight >= 0 else "minus",
                "step": weight_step(weight),
            }
        )
    return lines


GLOBALS: dict[str, Any] = {
    "COMPARISON_LABELS": COMPARISON_LABELS,
    "LEVEL_LABELS": LEVEL_LABELS,
    "VERDICT_LABELS": VERDICT_LABELS,
    "LINK_ROLE_LABELS": LINK_ROLE_LABELS,
    "explanation_lines": explanation_lines,
}
