"""The real-time index: link one record at a time, incrementally."""

from __future__ import annotations

from resolve_rows import mentions, row

from plataforma.resolve import Judgement, PersonIndex, Verdict, default_model


def _index() -> PersonIndex:
    index = PersonIndex(default_model())
    index.load(
        mentions(
            row(
                "p1",
                given_name="José",
                first_surname="Ramírez",
                second_surname="Acuña",
                date_of_birth="1985-07-12",
                sex="H",
            ),
            row(
                "p2",
                given_name="Ana",
                first_surname="Zarza",
                second_surname="Núñez",
                date_of_birth="1990-01-01",
                sex="M",
            ),
            row(
                "p3",
                given_name="José",
                first_surname="Ramírez",
                second_surname="Acuña",
                date_of_birth="1985-07-12",
                sex="H",
            ),
        ),
        [0, 1, 0],
    )
    return index


def test_a_new_record_joins_its_person_with_an_explained_link() -> None:
    index = _index()
    (incoming,) = mentions(
        row("new", given_name="Pepe", first_surname="Ramírez", date_of_birth="1985-12-07")
    )
    result = index.add(incoming)
    assert result.person_id == "p1" and not result.new_person
    assert result.match_score > 0.9
    assert result.candidates[0].record_id in ("p1", "p3")
    assert index.person_of("new") == "p1" and len(index) == 4


def test_an_unknown_person_starts_a_new_cluster_named_after_it() -> None:
    index = _index()
    (incoming,) = mentions(
        row("x", given_name="Luis", first_surname="Ortiz", date_of_birth="1950-05-05")
    )
    result = index.add(incoming)
    assert result.new_person and result.person_id == "x"


def test_adding_the_same_record_twice_links_it_once() -> None:
    index = _index()
    (incoming,) = mentions(
        row("new", given_name="José", first_surname="Ramírez", date_of_birth="1985-07-12")
    )
    index.add(incoming)
    again = index.add(incoming)
    assert again.person_id == "p1" and len(index) == 4


def test_link_scores_without_adding() -> None:
    index = _index()
    (probe,) = mentions(
        row("q", given_name="Ana", first_surname="Zarza", date_of_birth="1990-01-01")
    )
    candidates = index.link(probe)
    assert candidates[0].person_id == "p2" and len(index) == 3


def test_a_not_same_judgement_keeps_a_record_out() -> None:
    index = _index()
    (incoming,) = mentions(
        row(
            "new",
            given_name="Ana",
            first_surname="Zarza",
            second_surname="Núñez",
            date_of_birth="1990-01-01",
        )
    )
    result = index.add(incoming, [Judgement("new", "p2", Verdict.NOT_SAME)])
    assert result.new_person
