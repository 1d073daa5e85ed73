"""The read policy as a WHERE clause, so that listings are built from visible rows only.

Filtering after the query (fetch a page, drop what the caller may not see) leaks: the page's
length, its cursor and "more results" flags then depend on the hidden rows. With the rule in
SQL a page, its cursor and a count are the same whether hidden rows exist or not. The rule
itself is decided in :func:`plataforma.security.policy.visibility`; this only translates it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, true

from plataforma.security.policy import Visibility
from plataforma.store.tables import records


def visible_clause(rule: Visibility) -> ColumnElement[bool]:
    """The rows of ``records`` that :func:`policy.can_read` would let through under ``rule``."""
    if rule.nothing or not rule.markings:
        return false()
    restricted: ColumnElement[bool] = records.c.restricted_file.is_(None)
    if rule.restricted_files:
        restricted = or_(restricted, records.c.restricted_file.in_(sorted(rule.restricted_files)))
    jurisdiction: ColumnElement[bool]
    if rule.every_jurisdiction:
        jurisdiction = true()
    else:
        places = [records.c.agency == rule.agency]
        if rule.shared:
            places.append(records.c.marking.in_(sorted(str(m) for m in rule.shared)))
        if rule.state is not None:
            places.append(records.c.state == rule.state)
        jurisdiction = or_(*places)
    return and_(
        records.c.marking.in_(sorted(str(m) for m in rule.markings)), restricted, jurisdiction
    )
