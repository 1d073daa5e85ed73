"""Every comparison and level the resolver can explain has a label with its Spanish."""

from __future__ import annotations

from plataforma.resolve.comparisons import COMPARISONS
from plataforma.web.ui.i18n import translations
from plataforma.web.ui.person_labels import (
    COMPARISON_LABELS,
    LEVEL_LABELS,
    LINK_ROLE_LABELS,
    explanation_lines,
    weight_step,
)


def test_every_comparison_and_level_is_labelled_in_spanish() -> None:
    spanish = translations("es")
    for comparison in COMPARISONS:
        assert comparison.name in COMPARISON_LABELS, comparison.name
        for level in comparison.levels:
            assert level in LEVEL_LABELS, (comparison.name, level)
    for table in (COMPARISON_LABELS, LEVEL_LABELS, LINK_ROLE_LABELS):
        for message in table.values():
            assert spanish.gettext(message) != message or message in {"CURP", "Alias"}, message


def test_weight_bars_grow_with_the_weight_and_stop_at_full() -> None:
    assert weight_step(0) == 0 and weight_step(-3.0) == 2 and weight_step(40) == 10
    assert weight_step("not a number") == 0
    lines = explanation_lines(
        {"fields": [{"comparison": "prior", "level": "population 9", "weight": -3.2},
                    {"comparison": "surnames", "level": "both exact", "weight": 9.1}]}
    )  # fmt: skip
    assert [(x["level"], x["sign"]) for x in lines] == [("", "minus"), ("both exact", "plus")]
