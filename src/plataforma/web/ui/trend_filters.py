"""The dashboard's filters: one crime select over SESNSP's hierarchy, the window, the place.

A crime is chosen as ``level:code`` (``bien_juridico:el_patrimonio``, ``tipo:robo``,
``subtipo:robo_a_negocio``) from one select grouped by bien jurídico, so the hierarchy reads
as SESNSP publishes it. The labels are SESNSP's own Spanish names (data, not UI text).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode

from plataforma.model.codes import all_crime_types, all_states, slugify
from plataforma.trends.live_queries import CrimeFilter, invalid
from plataforma.trends.periods import Period
from plataforma.trends.series import CrimeLevel

__all__ = ["CrimeOption", "TrendFilters", "crime_options"]

DEFAULT_SPAN_DAYS = {Period.DAY: 60, Period.WEEK: 7 * 52, Period.MONTH: 365 * 2}


@dataclass(frozen=True)
class CrimeOption:
    value: str
    label: str
    depth: int  # 0 bien jurídico, 1 tipo, 2 subtipo


@cache
def crime_options() -> list[tuple[str, list[CrimeOption]]]:
    """(bien jurídico label, its options) in SESNSP's order."""
    groups: dict[str, list[CrimeOption]] = {}
    seen: set[str] = set()
    types = all_crime_types()
    for t in types:
        bien = slugify(t.bien_juridico)
        options = groups.setdefault(t.bien_juridico, [])
        if not options:
            options.append(CrimeOption(f"bien_juridico:{bien}", t.bien_juridico, 0))
        siblings = [s for s in types if s.tipo_code == t.tipo_code]
        if len(siblings) > 1 and t.tipo_code not in seen:
            seen.add(t.tipo_code)
            options.append(CrimeOption(f"tipo:{t.tipo_code}", t.tipo, 1))
        depth = 2 if len(siblings) > 1 else 1
        options.append(CrimeOption(f"subtipo:{t.code}", t.label, depth))
    return list(groups.items())


def states() -> list[tuple[str, str]]:
    return [(s.code, s.name) for s in all_states()]


@dataclass(frozen=True)
class TrendFilters:
    """What the page shows: crime, grain and window, and the area selected."""

    crime: CrimeFilter
    grain: Period
    since: dt.date
    until: dt.date
    area_level: str
    area: str

    @classmethod
    def of(
        cls,
        crime: str | None,
        grain: Period,
        since: dt.date | None,
        until: dt.date | None,
        area_level: str,
        area: str,
        today: dt.date | None = None,
    ) -> TrendFilters:
        level, _, code = (crime or "").partition(":")
        try:
            crime_level = CrimeLevel(level) if code else CrimeLevel.SUBTIPO
        except ValueError:
            raise invalid("/crime", "choose a crime from the list") from None
        until = until or today or dt.date.today()
        since = since or until - dt.timedelta(days=DEFAULT_SPAN_DAYS[grain])
        if since > until:
            raise invalid("/until", "comes before since")
        return cls(CrimeFilter.of(crime_level, code or None), grain, since, until, area_level, area)

    @property
    def crime_value(self) -> str:
        if self.crime.code is None:
            return ""
        return f"{self.crime.level.value}:{self.crime.code}"

    def query(self, **override: Any) -> str:
        """These filters (with ``override``) as a query string for links."""
        values: dict[str, Any] = {
            "crime": self.crime_value,
            "grain": self.grain.value,
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "area_level": self.area_level,
            "area": self.area,
        }
        values.update(override)
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})

    def audited(self) -> dict[str, Any]:
        return {
            "crime": self.crime_value or None,
            "grain": self.grain.value,
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "area_level": self.area_level,
            "area": self.area,
        }
