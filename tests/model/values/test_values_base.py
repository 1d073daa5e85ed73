from plataforma.model.values import Identifier, InvalidValue


def test_valid_identifier_has_its_normalized_form_as_key() -> None:
    value = Identifier(raw="abc 123", normalized="ABC123", problem=None)
    assert value.valid
    assert value.match_key == "ABC123"


def test_invalid_identifier_keeps_raw_and_has_no_key() -> None:
    value = Identifier(raw="abc?", normalized=None, problem="unexpected characters")
    assert not value.valid
    assert value.match_key is None
    assert value.raw == "abc?"


def test_invalid_value_carries_reason() -> None:
    error = InvalidValue("not a date: 'x'")
    assert isinstance(error, ValueError)
    assert error.reason == "not a date: 'x'"
