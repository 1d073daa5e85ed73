"""SQL written once for both of Splink's engines we run: DuckDB and Spark.

Our comparison levels need a few functions whose names differ between the two dialects
(list functions in DuckDB, array functions in Spark; the string similarities Splink registers
on Spark from its jar). A level is written as a Python function of an `Sql` helper, and
`DialectLevel` renders it for whichever dialect Splink asks for, so one definition runs on
both and no sqlglot translation can silently change its meaning.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect

__all__ = ["DialectLevel", "Sql"]


@dataclass(frozen=True, slots=True)
class Sql:
    """Function calls in one dialect (``duckdb`` or ``spark``); column names are passed in."""

    dialect: str

    def jaro_winkler(self, a: str, b: str) -> str:
        name = "jaro_winkler" if self.dialect == "spark" else "jaro_winkler_similarity"
        return f"{name}({a}, {b})"

    def levenshtein(self, a: str, b: str) -> str:
        return f"levenshtein({a}, {b})"

    def transposition_distance(self, a: str, b: str) -> str:
        """Edits with adjacent transpositions counted as one (≤ 1 agrees with OSA ≤ 1)."""
        return f"damerau_levenshtein({a}, {b})"

    def overlap(self, a: str, b: str) -> str:
        """The two arrays share an element."""
        if self.dialect == "spark":
            return f"arrays_overlap({a}, {b})"
        return f"list_has_any({a}, {b})"

    def contains_all(self, big: str, small: str) -> str:
        """Every element of ``small`` is in ``big``."""
        if self.dialect == "spark":
            return f"(size(array_except({small}, {big})) = 0)"
        return f"list_has_all({big}, {small})"

    def contains(self, array: str, element: str) -> str:
        if self.dialect == "spark":
            return f"array_contains({array}, {element})"
        return f"list_contains({array}, {element})"

    def close(self, a: str, b: str, similarity: float = 0.9) -> str:
        """Equal, Jaro–Winkler at least ``similarity``, or one edit apart."""
        return (
            f"({a} = {b} OR {self.jaro_winkler(a, b)} >= {similarity}"
            f" OR {self.levenshtein(a, b)} <= 1)"
        )

    def similar(self, a: str, b: str, similarity: float = 0.9) -> str:
        return f"({a} = {b} OR {self.jaro_winkler(a, b)} >= {similarity})"


class DialectLevel(ComparisonLevelCreator):
    """A comparison level whose SQL condition is rendered per dialect by ``render``."""

    def __init__(self, render: Callable[[Sql], str], label: str) -> None:
        self.render = render
        self.label = label

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        return self.render(Sql(sql_dialect.sql_dialect_str))

    def create_label_for_charts(self) -> str:
        return self.label
