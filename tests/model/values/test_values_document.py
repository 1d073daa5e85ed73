import pytest

from plataforma.model.values import DocumentKind, parse_document


def test_passport_key_carries_the_issuing_country() -> None:
    mexican = parse_document("g1234 5678", "pasaporte")
    guatemalan = parse_document("G12345678", "passport", "Guatemala")
    assert mexican.match_key == "MX:G12345678"
    assert guatemalan.match_key == "GT:G12345678"
    assert guatemalan.country == "GT"


def test_passport_with_unknown_country_is_not_a_key() -> None:
    doc = parse_document("G12345678", "passport", "Narnia")
    assert doc.match_key is None
    assert doc.problem is not None and "Narnia" in doc.problem


@pytest.mark.parametrize(
    ("raw", "kind", "valid"),
    [
        ("GMVLMR80070501M100", "ine", True),
        ("GMVLMR 800705 01 M100", "IFE", True),
        ("GMVLMR80023101M100", "ine", False),  # 31 February
        ("GMVLMR8007050M100", "credencial para votar", False),
        ("GODE561231GR8", "rfc", True),
        ("ABC680524P76", "rfc", True),  # legal person, 12 characters
        ("XAXX010101000", "rfc", False),  # generic RFC shared by the public
        ("12345678903", "nss", True),
        ("12345678904", "nss", False),
        ("A123456", "licencia", True),
        ("A#1234", "license", False),
        ("AB", "other", False),
    ],
)
def test_document_structures(raw: str, kind: str, valid: bool) -> None:
    doc = parse_document(raw, kind)
    assert doc.valid is valid
    assert (doc.match_key is not None) is valid


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("ine", DocumentKind.INE),
        ("Matrícula consular", DocumentKind.CONSULAR_ID),
        ("consular_id", DocumentKind.CONSULAR_ID),
        ("carnet", DocumentKind.OTHER),
        (None, DocumentKind.OTHER),
    ],
)
def test_kind_names(kind: str | None, expected: DocumentKind) -> None:
    assert parse_document("A123456", kind).kind is expected
