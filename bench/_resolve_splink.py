"""The baseline a competent user would run: Splink 5 on DuckDB with generic settings.

The settings the issue names: NameComparison on each name column, DateOfBirthComparison,
Levenshtein on the CURP (and on the document number, to be fair on FEBRL), exact sex, birth
state and municipality; blocking on the surname pair, the date of birth, the CURP, and given
name + first surname. Trained the usual way: the prior from a deterministic rule, u by random
sampling, m by EM on two blocking rules; clustered by connected components at 0.9.
Values get the cleaning anyone would do first: trimmed, upper-cased, empty as null.
"""

from __future__ import annotations

import logging
import time
import unicodedata
from typing import Any

import pandas as pd

COLUMNS = (
    "given_name",
    "first_surname",
    "second_surname",
    "sex",
    "date_of_birth",
    "curp",
    "birth_state",
    "municipality",
    "document_number",
)
THRESHOLD = 0.9


def _clean(value: Any) -> str | None:
    text = " ".join(str(value or "").split()).upper()
    text = unicodedata.normalize("NFC", text)
    return text or None


def frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    data: dict[str, list[Any]] = {"unique_id": [r["record_id"] for r in rows]}
    for column in COLUMNS:
        data[column] = [_clean(r.get(column)) for r in rows]
    # DateOfBirthComparison needs whole dates: a bare year is null for Splink.
    data["date_of_birth"] = [d if d and len(d) == 10 else None for d in data["date_of_birth"]]
    return pd.DataFrame(data)


def settings() -> Any:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("first_surname"),
            cl.NameComparison("second_surname"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
            cl.LevenshteinAtThresholds("curp", 2),
            cl.LevenshteinAtThresholds("document_number", 1),
            cl.ExactMatch("sex"),
            cl.ExactMatch("birth_state"),
            cl.ExactMatch("municipality"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_surname", "second_surname"),
            block_on("date_of_birth"),
            block_on("curp"),
            block_on("given_name", "first_surname"),
        ],
        retain_intermediate_calculation_columns=False,
    )


def trained_linker(df: pd.DataFrame) -> Any:
    from splink import DuckDBAPI, Linker, block_on

    db = DuckDBAPI()
    linker = Linker(db.register(df), settings(), log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("curp"), block_on("given_name", "first_surname", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    from splink.internals.exceptions import EMTrainingException

    # Two EM sessions, each estimating the comparisons the other blocks on; a data set
    # without second surnames (FEBRL) gets given name + first surname instead.
    for rule in (
        block_on("date_of_birth"),
        block_on("first_surname", "second_surname"),
        block_on("given_name", "first_surname"),
    ):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, record_sample_proportion=1.0
            )
        except (EMTrainingException, ValueError):  # too few pairs, or a level never seen
            continue
    return linker


def resolve(rows: list[dict[str, str]]) -> tuple[dict[str, str], float]:
    """Splink's cluster of every record id, and the seconds it took (training included)."""
    logging.getLogger("splink").setLevel(logging.ERROR)
    started = time.perf_counter()
    df = frame(rows)
    linker = trained_linker(df)
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=THRESHOLD
    ).as_pandas_dataframe()
    elapsed = time.perf_counter() - started
    labels = dict(
        zip(clusters["unique_id"].astype(str), clusters["cluster_id"].astype(str), strict=True)
    )
    return labels, elapsed


def link_latencies(index_rows: list[dict[str, str]], new_rows: list[dict[str, str]]) -> list[float]:
    """Seconds Splink takes to link each new record against a trained model's index."""
    from splink import DuckDBAPI

    df = frame(index_rows)
    linker = trained_linker(df)
    db: DuckDBAPI = linker._db_api
    right = db.register(df, dataset_display_name="index")
    latencies = []
    for k, row in enumerate(new_rows):
        started = time.perf_counter()
        left = db.register(frame([row]), dataset_display_name=f"new_{k}")
        linker.inference.predict_between(
            left, right, threshold_match_probability=0.5
        ).as_pandas_dataframe()
        latencies.append(time.perf_counter() - started)
    return latencies
