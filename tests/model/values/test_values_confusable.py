import pytest

from plataforma.model.values.confusable import (
    CONFUSION_CLASSES,
    confusable_alternatives,
    differences,
    skeleton,
)


def test_every_glyph_of_a_class_folds_to_its_digit() -> None:
    for members in CONFUSION_CLASSES:
        assert members[0].isdigit()
        assert {skeleton(g) for g in members} == {members[0]}


def test_classes_do_not_overlap() -> None:
    glyphs = "".join(CONFUSION_CLASSES)
    assert len(glyphs) == len(set(glyphs))


def test_glyphs_outside_every_class_are_kept() -> None:
    assert skeleton("ACEFHJKMNPRTUVWXY3479") == "ACEFHJKMNPRTUVWXY3479"


@pytest.mark.parametrize(
    ("glyph", "others"), [("0", "OQD"), ("O", "0QD"), ("1", "IL"), ("B", "8"), ("A", "")]
)
def test_alternatives(glyph: str, others: str) -> None:
    assert confusable_alternatives(glyph) == others


def test_differences_count_positions_and_lengths() -> None:
    assert differences("ABCI23", "ABC123") == 1
    assert differences("A8CI23", "ABC123") == 2
    assert differences("ABC123", "ABC1234") == 7
