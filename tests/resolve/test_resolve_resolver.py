"""End to end: the people the issue says must and must not become one."""

from __future__ import annotations

from resolve_rows import curp, mentions, row

from plataforma.resolve import Judgement, Resolver, ResolveSettings, Verdict


def _persons(*rows: dict[str, str], judgements: list[Judgement] | None = None) -> dict[str, str]:
    ms = mentions(*rows)
    resolution = Resolver().resolve(ms, judgements or [])
    return dict(zip((m.record_id for m in ms), resolution.person_ids, strict=True))


def test_one_man_written_four_ways_is_one_person() -> None:
    jose_curp = curp("José", "Ramírez", "Acuña", "1985-07-12")
    persons = _persons(
        row(
            "fge",
            given_name="José",
            first_surname="Ramírez",
            second_surname="Acuña",
            date_of_birth="1985-07-12",
            sex="H",
            municipality="14039",
        ),
        row("mun", given_name="JOSE", first_surname="RAMIERZ", date_of_birth="1985-12-07", sex="H"),
        row(
            "pol",
            given_name="Pepe",
            first_surname="Ramírez",
            second_surname="A.",
            date_of_birth="1985-07-12",
            municipality="14039",
            alias="El Güero",
        ),
        row(
            "rnd",
            curp=jose_curp,
            given_name="José",
            first_surname="Ramírez",
            second_surname="Acuña",
        ),
    )
    assert len(set(persons.values())) == 1
    assert persons["pol"] == "fge"  # named by the oldest record


def test_relatives_stay_apart() -> None:
    home = {
        "first_surname": "Ruiz",
        "second_surname": "Ortiz",
        "municipality": "14039",
        "street": "Calle Hidalgo 12",
        "sex": "H",
    }
    persons = _persons(
        row("twin-a", given_name="Joaquín", date_of_birth="1990-01-01", **home),
        row("twin-a2", given_name="Joaquin", date_of_birth="1990-01-01", **home),
        row("twin-b", given_name="Óscar", date_of_birth="1990-01-01", **home),
        row("father", given_name="Juan", date_of_birth="1960-05-05", **home),
        row("son", given_name="Juan", date_of_birth="1988-05-05", **home),
        row("son2", given_name="Juan", date_of_birth="1988-05-05", **home),
        row("undated", given_name="Juan", **home),  # father or son: must not join both
    )
    assert persons["twin-a"] == persons["twin-a2"] != persons["twin-b"]
    assert persons["son"] == persons["son2"] != persons["father"]
    assert persons["undated"] not in (persons["father"], persons["son"]) or (
        persons["father"] != persons["son"]
    )


def test_namesakes_in_one_town_are_not_merged() -> None:
    rows = [
        row(
            f"juan{i}",
            given_name="Juan",
            first_surname="Hernández",
            second_surname="López",
            date_of_birth=f"19{60 + 3 * i}-0{1 + i % 9}-1{i % 9}",
            sex="H",
            municipality="14039",
        )
        for i in range(12)
    ]
    assert len(set(_persons(*rows).values())) == 12


def test_a_given_name_alone_is_never_merged() -> None:
    persons = _persons(
        row("full", given_name="Lupita", first_surname="Zarza", date_of_birth="1991-01-01"),
        row("bare1", given_name="Lupita"),
        row("bare2", given_name="Lupita"),
    )
    assert len(set(persons.values())) == 3


def test_chain_of_near_duplicates_does_not_collapse_distinct_people() -> None:
    # Each neighbour differs by one letter of the surname; the ends are different families.
    names = ["Lara", "Lora", "Loza", "Lozo", "Pozo", "Pozos"]
    rows = [
        row(f"r{i}", given_name="Ana", first_surname=s, date_of_birth="1990-01-01", sex="M")
        for i, s in enumerate(names)
    ]
    persons = _persons(*rows)
    assert persons["r0"] != persons["r5"]


def test_different_valid_curps_are_two_people_even_with_one_name() -> None:
    persons = _persons(
        row(
            "a",
            given_name="Juan",
            first_surname="Pérez",
            second_surname="López",
            date_of_birth="1990-02-14",
            curp=curp("Juan", "Pérez", "López", "1990-02-14", seed=1),
        ),
        row(
            "b",
            given_name="Juan",
            first_surname="Pérez",
            second_surname="López",
            date_of_birth="1990-02-14",
            curp=curp("Juan", "Pérez", "López", "1990-02-14", seed=2),
        ),
    )
    assert persons["a"] != persons["b"]


def test_not_the_same_judgement_is_never_overridden() -> None:
    same_man = [
        row(
            r,
            given_name="Pedro",
            first_surname="Zarza",
            second_surname="Quiñones",
            date_of_birth="1970-10-10",
            sex="H",
        )
        for r in ("a", "b")
    ]
    assert len(set(_persons(*same_man).values())) == 1
    split = _persons(*same_man, judgements=[Judgement("b", "a", Verdict.NOT_SAME)])
    assert split["a"] != split["b"]


def test_cluster_ids_are_stable_as_clusters_grow() -> None:
    base = [
        row(
            "old",
            given_name="Rosa",
            first_surname="Núñez",
            second_surname="Peña",
            date_of_birth="1975-03-03",
        ),
        row(
            "new",
            given_name="Rosa",
            first_surname="Nunez",
            second_surname="Pena",
            date_of_birth="1975-03-03",
        ),
    ]
    later = [
        *base,
        row(
            "newer",
            given_name="Chayo",
            first_surname="Núñez",
            second_surname="Peña",
            date_of_birth="1975-03-03",
        ),
    ]
    assert set(_persons(*base).values()) == {"old"}
    assert set(_persons(*later).values()) == {"old"}


def test_scores_and_explanations() -> None:
    ms = mentions(
        row("a", given_name="Ana", first_surname="Zarza", date_of_birth="1990-01-01"),
        row("b", given_name="Ana", first_surname="Zarza", date_of_birth="1990-01-01"),
        row("c", given_name="Luis", first_surname="Ortiz", date_of_birth="1950-01-01"),
    )
    resolution = Resolver(settings=ResolveSettings(train=False)).resolve(ms)
    assert resolution.match_scores[0] > 0.9 and resolution.match_scores[2] == 0.0
    explanation = resolution.explain(0, 1).explanation
    assert {f.comparison for f in explanation} >= {
        "prior",
        "given_name",
        "surnames",
        "date_of_birth",
    }


def test_empty_input() -> None:
    resolution = Resolver().resolve([])
    assert resolution.person_ids == [] and resolution.match_scores == []
