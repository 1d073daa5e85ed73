"""The Splink engines (DuckDB, Spark) decide as the built-in engine does.

The same synthetic file is resolved by the built-in engine and by Splink; the clusters must
agree, the SQL levels must be the Python levels on the pairs that were blocked, and the
anti-chaining rules must hold on Splink's side too. The Spark test starts a real local
Spark (``-m spark`` selects it); it skips only when there is no Java.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from plataforma.model.values.curp import curp_check_digit
from plataforma.resolve import PersonMention, Resolver, default_model, prepare_mention
from plataforma.resolve.comparisons import COMPARISONS, comparison_levels
from plataforma.resolve.evaluation import score_clusters
from plataforma.resolve.spark_session import java_available
from plataforma.resolve.splink_engine import SplinkEngine, SplinkResolver
from plataforma.resolve.splink_levels import LEVELS
from plataforma.resolve.splink_rules import gamma_values, our_level
from plataforma.resolve.splink_settings import splink_settings
from plataforma.resolve.splink_table import mention_table
from plataforma.synth import DatasetWriter, generate

Rows = list[dict[str, str]]


def synthetic(scale: int, seed: int) -> tuple[Rows, dict[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        with DatasetWriter(Path(tmp)) as writer:
            for record_type, rows in generate(scale, seed):
                writer.write(record_type, rows)
        with (Path(tmp) / "persons_for_resolve.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        with (Path(tmp) / "truth_persons.csv").open(encoding="utf-8") as handle:
            truth = {r["record_id"]: r["person_id"] for r in csv.DictReader(handle)}
    return rows, truth


@pytest.fixture(scope="module")
def file_rows() -> tuple[Rows, dict[str, str]]:
    return synthetic(120, seed=3)


def _mentions(rows: Rows) -> list[PersonMention]:
    return [prepare_mention(row, i) for i, row in enumerate(rows)]


def test_duckdb_engine_gives_the_builtin_clusters(file_rows: tuple[Rows, dict[str, str]]) -> None:
    rows, truth = file_rows
    mentions = _mentions(rows)
    builtin = Resolver().resolve(mentions)
    splink = SplinkResolver(SplinkEngine.DUCKDB).resolve(mentions)
    agreement = score_clusters(splink.person_ids, builtin.person_ids)
    assert agreement.f1 >= 0.99, agreement
    quality = score_clusters(splink.person_ids, [truth[m.record_id] for m in mentions])
    assert quality.precision >= 0.98 and quality.recall >= 0.9, quality
    assert len(splink.match_scores) == len(rows)
    assert all(0.0 <= s <= 1.0 for s in splink.match_scores)
    # A cluster is named after its oldest record, as in the built-in engine.
    for person, mention in zip(splink.person_ids, mentions, strict=True):
        first = next(m for m, p in zip(mentions, splink.person_ids, strict=True) if p == person)
        assert person == first.record_id
        assert first.order <= mention.order


def _splink_levels(mentions: Sequence[PersonMention]) -> tuple[np.ndarray, list[list[int]]]:
    from splink import DuckDBAPI, Linker

    linker = Linker(
        DuckDBAPI().register(mention_table(mentions)),
        splink_settings(default_model(), len(mentions)),
    )
    frame = linker.inference.predict().as_pandas_dataframe()
    pairs = frame[["unique_id_l", "unique_id_r"]].to_numpy()
    levels = [
        [our_level(name, int(g)) for g in frame[f"gamma_{name}"].tolist()] for name, _ in LEVELS
    ]
    return pairs, levels


def test_sql_levels_are_the_python_levels(file_rows: tuple[Rows, dict[str, str]]) -> None:
    rows, _ = file_rows
    mentions = _mentions(rows)
    pairs, sql_levels = _splink_levels(mentions)
    assert len(pairs) > 100
    python = [comparison_levels(mentions[i], mentions[j]) for i, j in pairs.tolist()]
    for c, comparison in enumerate(COMPARISONS):
        same = sum(p[c] == s for p, s in zip(python, sql_levels[c], strict=True))
        # Given names are compared token by token in Python, first token first in SQL.
        floor = 0.97 if comparison.name == "given_name" else 0.995
        assert same / len(pairs) >= floor, (comparison.name, same, len(pairs))


def test_gamma_mapping_is_splinks_own_numbering() -> None:
    from splink import DuckDBAPI, Linker

    mentions = _mentions([{"record_id": "a", "given_name": "Ana", "first_surname": "Ruiz"}] * 2)
    linker = Linker(
        DuckDBAPI().register(mention_table(mentions)), splink_settings(default_model(), 2)
    )
    for comparison in linker._settings_obj.comparisons:
        for level in comparison.comparison_levels:
            ours = int(level.label_for_charts.rsplit("[", 1)[1].rstrip("]"))
            assert our_level(comparison.output_column_name, level.comparison_vector_value) == ours
            if ours:
                assert level.comparison_vector_value in gamma_values(
                    comparison.output_column_name, (ours,)
                )


def _row(record_id: str, given: str, dob: str = "", curp: str = "", **more: str) -> dict[str, str]:
    return {
        "record_id": record_id,
        "given_name": given,
        "first_surname": "Hernández",
        "second_surname": "López",
        "sex": "H",
        "date_of_birth": dob,
        "curp": curp,
        "municipality": "09015",
        "street": "Calle Juárez 12",
        **more,
    }


def _curp(first17: str) -> str:
    return first17 + curp_check_digit(first17)


def test_relatives_and_two_curps_never_merge() -> None:
    rows = [
        _row("father", "Juan", "1960-03-14"),
        _row("son", "Juan", "1987-03-14"),
        _row("undated", "Juan"),
        _row("father-again", "Juan", "1960-03-14"),
        _row("curp-a", "Pedro", "1975-01-02", _curp("HELP750102HDFRPD0")),
        _row("curp-b", "Pedro", "1975-01-02", _curp("HELP750102HDFLPDA")),
        _row("alone", "Maria", "", "", first_surname="", second_surname=""),
    ]
    result = SplinkResolver(SplinkEngine.DUCKDB).resolve(_mentions(rows))
    person = dict(zip((r["record_id"] for r in rows), result.person_ids, strict=True))
    assert person["father"] == person["father-again"] == "father"
    assert person["son"] != person["father"]
    assert person["curp-a"] != person["curp-b"]
    assert person["alone"] == "alone"


def test_empty_and_single_mention_files() -> None:
    assert SplinkResolver().resolve([]).person_ids == []
    one = SplinkResolver().resolve(_mentions([_row("only", "Ana")]))
    assert one.person_ids == ["only"] and one.match_scores == [0.0]


@pytest.mark.spark
@pytest.mark.slow
def test_spark_engine_gives_the_duckdb_clusters(
    file_rows: tuple[Rows, dict[str, str]], tmp_path: Path
) -> None:
    if not java_available():
        pytest.skip("no Java on this machine: a local Spark cannot start")
    rows, _ = file_rows
    mentions = _mentions(rows[:150])
    duckdb = SplinkResolver(SplinkEngine.DUCKDB).resolve(mentions)
    spark = SplinkResolver(SplinkEngine.SPARK, work_dir=tmp_path).resolve(mentions)
    assert spark.person_ids == duckdb.person_ids
    assert np.allclose(spark.match_scores, duckdb.match_scores, atol=1e-4)
