"""Blocking keys and the incremental index."""

from __future__ import annotations

from resolve_rows import curp, mentions, row

from plataforma.resolve.blocking import BlockIndex, blocking_keys


def test_errors_still_share_a_key() -> None:
    base = row(
        "a",
        given_name="José",
        first_surname="Vázquez",
        second_surname="López",
        date_of_birth="1990-02-05",
    )
    variants = [
        row("b", given_name="Pepe", first_surname="Vázquez", second_surname="López"),  # nickname
        row(
            "c",
            given_name="José",
            first_surname="Basquez",
            second_surname="Lopes",
            date_of_birth="1990-05-02",
        ),
        row("d", given_name="José", first_surname="López", second_surname="Vázquez"),  # swapped
        row(
            "e", given_name="José", first_surname="Vázquez", date_of_birth="1990-02-05"
        ),  # one surname
    ]
    first, *others = mentions(base, *variants)
    keys = set(blocking_keys(first))
    for other in others:
        assert keys & set(blocking_keys(other)), other.record_id


def test_curp_prefix_links_a_record_without_curp() -> None:
    with_curp, without = mentions(
        row(
            "a",
            given_name="Juan",
            first_surname="Pérez",
            second_surname="López",
            curp=curp("Juan", "Pérez", "López", "1990-02-14"),
        ),
        row(
            "b",
            given_name="JUAN",
            first_surname="PEREZ",
            second_surname="LOPEZ",
            date_of_birth="1990-02-14",
        ),
    )
    assert any(
        k.startswith("cp:") for k in set(blocking_keys(with_curp)) & set(blocking_keys(without))
    )


def test_a_given_name_alone_gets_no_name_keys() -> None:
    (lonely,) = mentions(row("a", given_name="Juan"))
    assert blocking_keys(lonely) == []


def test_huge_blocks_are_not_used() -> None:
    crowd = mentions(
        *(
            row(f"r{i}", given_name="Juan", first_surname="Hernández", second_surname="López")
            for i in range(30)
        )
    )
    index = BlockIndex(max_block=10)
    index.extend(crowd)
    assert len(index.pairs()) == 0
    assert index.candidates(crowd[0]) == set()
    small = BlockIndex(max_block=100)
    small.extend(crowd)
    assert len(small.pairs()) == 30 * 29 // 2
    assert len(small.candidates(crowd[0])) == 30
