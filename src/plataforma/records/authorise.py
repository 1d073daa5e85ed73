"""The one write check, for the API and the bulk importer alike.

A record to write is prepared (its owner defaults to the writer's agency) and judged by
:func:`policy.can_write` on its type and owner; only an allowed write has its owner looked
up, so a refused attempt is audited as a denial even when the agency it names does not exist,
and an unknown owner is a plain invalid record. The writer's own agency needs no look-up: its
account proves it.

:meth:`RecordService.prepare_for` and the importer's :func:`prepare_batch` both call
:func:`authorise_write`; they differ only in how they answer (an exception and an audited
denial, or a line in the rejects file) and in how they know the registered agencies (the
directory, or a list that travels with the batch to a worker process that has no database).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from plataforma.model.records import RecordBody
from plataforma.security import policy
from plataforma.security.principal import Principal
from plataforma.store.prepare import PreparedRecord, prepare

#: ``known(record_type, owner, source_ref)``: whether ``owner`` is a registered agency (an
#: agency's own directory record makes its code known, see ``agencies.unknown_owner``).
KnownOwner = Callable[[str, str, str], bool]


@dataclass(frozen=True, slots=True)
class WriteCheck:
    """A prepared record and the verdict on it: write it when allowed and its owner is known."""

    item: PreparedRecord
    decision: policy.Decision
    unknown_owner: bool = False


def authorise_write(
    principal: Principal,
    body: RecordBody,
    known: KnownOwner,
    decided: dict[str, policy.Decision] | None = None,
) -> WriteCheck:
    """Prepare ``body`` and decide whether ``principal`` may write it.

    ``decided`` memoises the decision per owner for one record type (a file has few owners,
    and the decision depends only on the type and the owner).
    """
    item = prepare(body, principal.agency)
    decision = decided.get(item.agency) if decided is not None else None
    if decision is None:
        decision = policy.can_write(principal, item.record_type, item.agency)
        if decided is not None:
            decided[item.agency] = decision
    if not decision:
        return WriteCheck(item, decision)
    unknown = item.agency != principal.agency and not known(
        item.record_type, item.agency, item.source_ref
    )
    return WriteCheck(item, decision, unknown)
