"""Labels the trends pages translate, and SESNSP's names of crimes at every level."""

from __future__ import annotations

from functools import cache
from typing import Any

from plataforma.model.codes import all_crime_types, slugify
from plataforma.web.ui.display import municipality_name, state_name
from plataforma.web.ui.labels import N_

__all__ = ["TREND_CONTEXT", "area_label", "crime_name"]

GRAIN_LABELS = {"day": N_("Day"), "week": N_("Week (Monday to Sunday)"), "month": N_("Month")}
AREA_LABELS = {"nation": N_("Whole country")}
WINDOW_LABELS = {
    "week_to_date": N_("Week to date"),
    "28_days": N_("Last 28 days"),
    "year_to_date": N_("Year to date"),
}
CRIME_LEVEL_LABELS = {
    "subtipo": N_("Crime subtype"),
    "tipo": N_("Crime type"),
    "bien_juridico": N_("Protected interest"),
}


@cache
def _crime_names() -> dict[tuple[str, str], str]:
    names: dict[tuple[str, str], str] = {}
    for t in all_crime_types():
        names[("subtipo", t.code)] = t.label
        names.setdefault(("tipo", t.tipo_code), t.tipo)
        names.setdefault(("bien_juridico", slugify(t.bien_juridico)), t.bien_juridico)
    return names


def crime_name(level: str, code: str) -> str:
    """SESNSP's own (Spanish) name of a crime code at ``level``; the code if unknown."""
    return _crime_names().get((level, code), code)


def area_label(area_level: str, area: str) -> str:
    if area_level == "state":
        return state_name(area)
    if area_level == "municipality":
        return f"{municipality_name(area)} ({state_name(area[:2])})"
    return area


TREND_CONTEXT: dict[str, Any] = {
    "GRAIN_LABELS": GRAIN_LABELS,
    "AREA_LABELS": AREA_LABELS,
    "WINDOW_LABELS": WINDOW_LABELS,
    "CRIME_LEVEL_LABELS": CRIME_LEVEL_LABELS,
    "crime_name": crime_name,
    "area_label": area_label,
}
