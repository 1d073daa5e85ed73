"""Rates per 100,000 inhabitants for the live counts, and the names of areas.

Population comes from the CONAPO file `PLATAFORMA_TRENDS_POPULATION_FILE` names (read once
per process, `population.read_population`); without it, or for an area the file lacks (an
H3 cell has no population), the rate is None: a count is never divided by a guess.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from plataforma.model.codes import CodeError, all_municipalities, resolve_state
from plataforma.trends.population import Population, PopulationError, read_population
from plataforma.trends.series import NATION

__all__ = ["area_name", "population_from", "rate_per_100k"]

log = logging.getLogger(__name__)


@cache
def population_from(path: Path | None) -> Population | None:
    """The population file, or None (unset, or unreadable: logged once)."""
    if path is None:
        return None
    try:
        return read_population(path)
    except (OSError, PopulationError) as error:
        log.warning("trends population file %s unusable: %s", path, error)
        return None


def rate_per_100k(population: Population | None, area: str, year: int, count: int) -> float | None:
    if population is None:
        return None
    inhabitants = population.of(area, year)
    if not inhabitants or inhabitants <= 0:
        return None
    return round(100_000.0 * count / inhabitants, 2)


@cache
def _municipality_names() -> dict[str, str]:
    return {m.code: m.name for m in all_municipalities()}


def area_name(area_level: str, area: str) -> str:
    """A readable name: the state's or municipality's; H3 cells are their own names."""
    if area_level == "nation" or area == NATION:
        return "nation"
    if area_level == "state":
        try:
            return resolve_state(area).name
        except CodeError:
            return area
    if area_level == "municipality":
        return _municipality_names().get(area, area)
    return area
