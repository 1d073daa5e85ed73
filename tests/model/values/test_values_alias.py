"""Alias keys: articles and the word "alias" carry no identity."""

from __future__ import annotations

from plataforma.model.values.alias import alias_keys


def test_article_forms_agree() -> None:
    assert alias_keys("El Chapo") == alias_keys("chapo") == alias_keys("Alias EL CHAPO")


def test_several_aliases_and_blanks() -> None:
    assert alias_keys("El Güero; La Flaca;;") == frozenset({"GUERO", "FLACA"})
    assert alias_keys(None) == frozenset()
    assert alias_keys(" el ") == frozenset()
