"""Hit/no-hit inquiries on persons, vehicles and firearms (issue 8).

``inquire(platform, principal, query, purpose)`` answers a :class:`PersonQuery`,
:class:`VehicleQuery` or :class:`FirearmQuery`; what counts as a hit is decided in
``records.hits``, shared with search.
"""

from plataforma.inquiry.answer import Answer, Hit, OtherRecord
from plataforma.inquiry.queries import (
    FirearmQuery,
    InquiryKind,
    InvalidQuery,
    PersonQuery,
    Query,
    VehicleQuery,
)
from plataforma.inquiry.service import inquire

__all__ = [
    "Answer",
    "FirearmQuery",
    "Hit",
    "InquiryKind",
    "InvalidQuery",
    "OtherRecord",
    "PersonQuery",
    "Query",
    "VehicleQuery",
    "inquire",
]
