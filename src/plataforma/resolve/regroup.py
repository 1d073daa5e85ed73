"""Re-cluster the persons an analyst's judgement touches, and write the links that moved.

A judgement is about two mentions; its effect is on their persons. The members of those
persons are resolved again as a batch by `Resolver` with every active judgement among them
("same" merges first; "not the same" is never overridden), oldest record first so each person
keeps the id of its oldest record. Only links whose person changed are rewritten, then the
process's index catches up at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from sqlalchemy import Connection, select

from plataforma.settings import Settings
from plataforma.store.tables import records

from .explain import explanation_against, partners_in_person
from .links import LinkRow, active_judgements, links_of_persons, write_links
from .mention import PersonMention
from .national import load_model
from .records import mentions_of_data
from .resolver import Resolver


def regroup_persons(conn: Connection, settings: Settings, person_ids: Iterable[str]) -> int:
    """Resolve the members of ``person_ids`` again; returns how many links moved."""
    members = links_of_persons(conn, person_ids)
    if not members:
        return 0
    by_mention = {row.mention_id: row for row in members}
    query = select(
        records.c.id, records.c.record_type, records.c.agency, records.c.data, records.c.entered_at
    ).where(records.c.id.in_({row.record_id for row in members}))
    found: list[tuple[object, str, PersonMention]] = []
    for row in conn.execute(query):
        for named in mentions_of_data(row.id, row.record_type, row.agency, row.data):
            if named.mention.record_id in by_mention:
                found.append((row.entered_at, named.mention.record_id, named.mention))
    found.sort(key=lambda item: (str(item[0]), item[1]))
    mentions = [replace(m, order=i) for i, (_, _, m) in enumerate(found)]
    judgements = [j.judgement for j in active_judgements(conn, by_mention)]
    model, _version = load_model(settings)
    resolution = Resolver(model).resolve(mentions, judgements)
    partners = partners_in_person(resolution)
    moved = []
    for i, (mention, person_id) in enumerate(zip(mentions, resolution.person_ids, strict=True)):
        old = by_mention[mention.record_id]
        if old.person_id != person_id:
            # The link as it now stands: its strongest partner in the new person, if any.
            partner = partners[i]
            score = resolution.match_scores[i] if partner is not None else 0.0
            explanation = explanation_against(resolution, i, partner)
            moved.append(
                LinkRow(
                    old.mention_id,
                    old.record_id,
                    old.ordinal,
                    old.role,
                    person_id,
                    score,
                    {**explanation, "regrouped": True},
                    old.model_version,
                )
            )
    write_links(conn, moved, replace=True)
    return len(moved)
