"""The trained model: m and u of every comparison level, the prior, and match weights.

A Fellegi–Sunter model in the open: each level's weight is log2(m/u), the prior is how many
other records of the same person a record has (``matches_per_record``), turned into the
probability that two records drawn at random match for the size of the population they are
drawn from. The same model scores a pair in a 20-row file and against a national index; only
the prior changes, because a name match means less among a million people than among twenty.
The model is plain data (JSON), so a deployment can ship, inspect and version it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .comparisons import COMPARISONS

__all__ = ["MatchModel", "default_model"]

_MIN_PROBABILITY = 1e-9


@dataclass(frozen=True)
class MatchModel:
    """Probabilities per comparison level (``COMPARISONS`` order); level 0 carries none."""

    m: tuple[tuple[float, ...], ...]
    u: tuple[tuple[float, ...], ...]
    matches_per_record: float = 2.0
    trained_on: dict[str, Any] = field(default_factory=dict)
    weights: tuple[tuple[float, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.m) != len(COMPARISONS) or len(self.u) != len(COMPARISONS):
            raise ValueError("model: one m and one u vector per comparison")
        table = []
        for comparison, m, u in zip(COMPARISONS, self.m, self.u, strict=True):
            if len(m) != len(comparison.levels) or len(u) != len(comparison.levels):
                raise ValueError(f"model: {comparison.name} has {len(comparison.levels)} levels")
            weights = (
                math.log2(max(mi, _MIN_PROBABILITY) / max(ui, _MIN_PROBABILITY))
                for mi, ui in zip(m[1:], u[1:], strict=True)
            )
            table.append((0.0, *weights))
        object.__setattr__(self, "weights", tuple(table))

    def prior_weight(self, population: int) -> float:
        """log2 odds that two records of a population of ``population`` are one person."""
        prior = min(0.5, self.matches_per_record / max(1, population - 1))
        return math.log2(prior / (1 - prior))

    def with_probabilities(
        self,
        m: tuple[tuple[float, ...], ...] | None = None,
        u: tuple[tuple[float, ...], ...] | None = None,
        matches_per_record: float | None = None,
        **trained_on: Any,
    ) -> MatchModel:
        return replace(
            self,
            m=m if m is not None else self.m,
            u=u if u is not None else self.u,
            matches_per_record=matches_per_record or self.matches_per_record,
            trained_on={**self.trained_on, **trained_on},
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "comparisons": [
                {
                    "name": c.name,
                    "levels": [
                        {"label": label, "m": m, "u": u, "weight": w}
                        for label, m, u, w in zip(c.levels, mv, uv, wv, strict=True)
                    ][1:],
                }
                for c, mv, uv, wv in zip(COMPARISONS, self.m, self.u, self.weights, strict=True)
            ],
            "matches_per_record": self.matches_per_record,
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MatchModel:
        by_name = {c["name"]: c for c in data["comparisons"]}
        m, u = [], []
        for comparison in COMPARISONS:
            levels = by_name[comparison.name]["levels"]
            m.append((1.0, *(float(level["m"]) for level in levels)))
            u.append((1.0, *(float(level["u"]) for level in levels)))
        return cls(
            tuple(m), tuple(u), float(data["matches_per_record"]), data.get("trained_on", {})
        )

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n", encoding="utf-8")


def default_model() -> MatchModel:
    """The shipped defaults: what a file too small to train on is resolved with."""
    return MatchModel(
        tuple(c.m for c in COMPARISONS),
        tuple(c.u for c in COMPARISONS),
        trained_on={"source": "shipped defaults"},
    )
