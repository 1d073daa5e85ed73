"""The scorer: weights, explanations, term frequencies and the hard rules."""

from __future__ import annotations

import numpy as np
import pytest
from resolve_rows import curp, mentions, row

from plataforma.resolve import default_model
from plataforma.resolve.batch_weights import pair_flags, pair_weights
from plataforma.resolve.blocking import BlockIndex
from plataforma.resolve.frequencies import TermFrequencies
from plataforma.resolve.levels import level_matrix
from plataforma.resolve.scorer import Scorer, probability_of


def _scorer(population: int = 100, frequencies: TermFrequencies | None = None) -> Scorer:
    return Scorer(default_model(), frequencies or TermFrequencies(), population)


def test_explanation_adds_up_to_the_weight() -> None:
    a, b = mentions(
        row(
            "a",
            given_name="Pepe",
            first_surname="Ramírez",
            second_surname="Acuña",
            date_of_birth="1980-03-04",
            sex="H",
            municipality="14039",
        ),
        row(
            "b",
            given_name="José",
            first_surname="RAMIERZ",
            second_surname="",
            date_of_birth="1980-04-03",
            sex="H",
            municipality="14039",
        ),
    )
    score = _scorer().score(a, b)
    assert sum(f.weight for f in score.explanation) == pytest.approx(score.weight, abs=0.01)
    fields = {f.comparison: f.level for f in score.explanation}
    assert fields["given_name"] == "nickname or abbreviation"
    assert fields["date_of_birth"] == "swapped day month"
    assert score.probability == pytest.approx(probability_of(score.weight))
    assert score.probability > 0.9 and score.identifying and not score.cannot_link


def test_a_rare_surname_weighs_more_than_a_common_one() -> None:
    crowd = [
        row(f"h{i}", given_name=f"N{i}", first_surname="Hernández", second_surname="López")
        for i in range(1500)
    ]
    rare = [
        row("z1", given_name="Ana", first_surname="Zarza", second_surname="Quiñones"),
        row("z2", given_name="Ana", first_surname="Zarza", second_surname="Quiñones"),
    ]
    common = [
        row("c1", given_name="Ana", first_surname="Hernández", second_surname="López"),
        row("c2", given_name="Ana", first_surname="Hernández", second_surname="López"),
    ]
    all_mentions = mentions(*crowd, *rare, *common)
    scorer = _scorer(len(all_mentions), TermFrequencies(all_mentions))
    rare_score = scorer.score(all_mentions[-4], all_mentions[-3])
    common_score = scorer.score(all_mentions[-2], all_mentions[-1])
    assert rare_score.weight > common_score.weight + 3


def test_two_valid_curps_never_link() -> None:
    a, b = mentions(
        row(
            "a",
            given_name="Juan",
            first_surname="Pérez",
            curp=curp("Juan", "Pérez", "", "1990-01-01", seed=1),
        ),
        row(
            "b",
            given_name="Juan",
            first_surname="Pérez",
            curp=curp("Juan", "Pérez", "", "1990-01-01", seed=2),
        ),
    )
    assert _scorer().score(a, b).cannot_link


def test_twins_and_father_and_son_cannot_link_without_an_identifier() -> None:
    home = {
        "first_surname": "Ruiz",
        "second_surname": "Ortiz",
        "municipality": "14039",
        "street": "Calle 5 1",
    }
    twin_a, twin_b, father, son = mentions(
        row("t1", given_name="Joaquín", date_of_birth="1990-01-01", **home),
        row("t2", given_name="Óscar", date_of_birth="1990-01-01", **home),
        row("f", given_name="Juan", date_of_birth="1960-05-05", **home),
        row("s", given_name="Juan", date_of_birth="1988-05-05", **home),
    )
    assert _scorer().score(twin_a, twin_b).cannot_link
    assert _scorer().score(father, son).cannot_link


def test_a_given_name_and_a_year_never_identify() -> None:
    a, b = mentions(
        row("a", given_name="Juan", date_of_birth="1990"),
        row("b", given_name="Juan", date_of_birth="1990"),
    )
    assert not _scorer().score(a, b).identifying


def test_batch_weights_equal_pair_weights() -> None:
    rows = [
        row(f"r{i}", given_name=g, first_surname=s, second_surname=t, date_of_birth=d, sex=x)
        for i, (g, s, t, d, x) in enumerate(
            [
                ("Juan", "Pérez", "López", "1990-01-02", "H"),
                ("Juan", "Perez", "", "1990-02-01", "H"),
                ("Pepe", "Pérez", "López", "1990-01-02", "H"),
                ("Ana", "Pérez", "López", "1990-01-02", "M"),
            ]
        )
    ]
    ms = mentions(*rows)
    index = BlockIndex()
    index.extend(ms)
    pairs = index.pairs()
    levels = level_matrix(ms, pairs)
    frequencies = TermFrequencies(ms)
    batch = pair_weights(ms, pairs, levels, default_model(), frequencies)
    scorer = Scorer(default_model(), frequencies, len(ms))
    single = [scorer.weight(ms[i], ms[j])[0] for i, j in pairs.tolist()]
    assert np.allclose(batch, single)
    cannot, usable = pair_flags(ms, pairs, levels)
    for k, (i, j) in enumerate(pairs.tolist()):
        full = scorer.score(ms[i], ms[j])
        assert cannot[k] == full.cannot_link and usable[k] == full.identifying
