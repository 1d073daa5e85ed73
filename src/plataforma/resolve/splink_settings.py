"""Splink settings from our model: the levels of `splink_levels` with our m and u loaded.

Why our trained `MatchModel` and not Splink's own EM: the real-time scorer (`PersonIndex`)
links with a `MatchModel`, so a batch run on Splink must decide with the same weights or a
person would be split in batch and merged in real time. The model is given (``--model``) or
trained by our trainer on a sample (`splink_engine.sample_model`); Splink then only applies
it. The prior is the built-in engine's (``matches_per_record`` over the file's size), and
name frequencies adjust the exact-name levels as ``frequencies.py`` does, bounded at +4 bits
through ``tf_minimum_u_value``.
"""

from __future__ import annotations

from typing import Any

from splink import SettingsCreator, block_on
from splink import comparison_library as cl
from splink.internals.comparison_level_creator import ComparisonLevelCreator

from .frequencies import MAX_ADJUSTMENT, MIN_POPULATION
from .model import MatchModel
from .splink_levels import LEVELS
from .splink_sql import DialectLevel

__all__ = ["TF_COLUMNS", "splink_settings"]

# (comparison, our level) → the column whose value frequency adjusts that level's weight.
TF_COLUMNS = {
    ("given_name", 1): "given",
    ("surnames", 1): "surnames",
    ("surnames", 4): "first_surname",
}


def _comparison(c: int, name: str, model: MatchModel, frequencies: bool) -> Any:
    creators: list[ComparisonLevelCreator | dict[str, Any]] = []
    for our, label, render in LEVELS[c][1]:
        level = DialectLevel(render, f"{label} [{our}]")
        if our == 0:
            level.configure(is_null_level=True)
        else:
            m, u = model.m[c][our], model.u[c][our]
            level.configure(m_probability=max(m, 1e-9), u_probability=max(u, 1e-9))
            column = TF_COLUMNS.get((name, our))
            if column and frequencies:
                level.configure(
                    tf_adjustment_column=column,
                    tf_adjustment_weight=1.0,
                    tf_minimum_u_value=u / 2**MAX_ADJUSTMENT,
                    disable_tf_exact_match_detection=True,
                )
        creators.append(level)
    return cl.CustomComparison(comparison_levels=creators, output_column_name=name)


def splink_settings(model: MatchModel, population: int) -> SettingsCreator:
    """Settings for a dedupe of ``population`` mentions with ``model``'s probabilities."""
    prior = min(0.5, model.matches_per_record / max(1, population - 1))
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=prior,
        comparisons=[
            _comparison(c, name, model, population >= MIN_POPULATION)
            for c, (name, _) in enumerate(LEVELS)
        ],
        blocking_rules_to_generate_predictions=[
            block_on("block_keys", arrays_to_explode=["block_keys"])
        ],
        additional_columns_to_retain=["sparse"],
        # Splink 5 keeps the level (gamma) columns only together with the compared
        # columns; the hard rules need the levels, so the prediction table is wider.
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=False,
    )
