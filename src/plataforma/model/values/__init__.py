"""Value types: identifiers as people type them.

Each module owns one kind of value: how to normalise it, when it is valid, and the key used
to match and block on it. Malformed identifiers are kept as written, flagged with a reason,
and never used as match keys. Only the strict parsers (dates, sex, country) raise
`InvalidValue`.
"""

from .base import Identifier, InvalidValue
from .country import parse_country
from .curp import (
    CURP_STATE_CODES,
    Curp,
    curp_check_digit,
    curp_name_prefix,
    make_curp,
    parse_curp,
)
from .dates import PartialDate, parse_datetime, parse_partial_date
from .document import DocumentKind, IdentityDocument, parse_document
from .name import (
    PersonName,
    normalize_name_part,
    normalize_text,
    parse_person_name,
    split_full_name,
)
from .phone import Phone, parse_phone
from .plate import Plate, parse_plate
from .serial import FirearmSerial, parse_firearm_serial
from .sex import Sex, parse_sex
from .vin import Vin, make_vin, parse_vin, vin_check_digit

__all__ = [
    "CURP_STATE_CODES",
    "Curp",
    "DocumentKind",
    "FirearmSerial",
    "Identifier",
    "IdentityDocument",
    "InvalidValue",
    "PartialDate",
    "PersonName",
    "Phone",
    "Plate",
    "Sex",
    "Vin",
    "curp_check_digit",
    "curp_name_prefix",
    "make_curp",
    "make_vin",
    "normalize_name_part",
    "normalize_text",
    "parse_country",
    "parse_curp",
    "parse_datetime",
    "parse_document",
    "parse_firearm_serial",
    "parse_partial_date",
    "parse_person_name",
    "parse_phone",
    "parse_plate",
    "parse_sex",
    "parse_vin",
    "split_full_name",
    "vin_check_digit",
]
