"""``resolve_store``: the whole store resolved again on every backend; judgements respected,
changed records re-linked, vanished mentions unlinked, a rerun changes nothing, a trained
model saved where the consumer's setting reads it."""

from __future__ import annotations

import pytest
from person_support import JOSE, JOSE_MISSPELT, OTHER_MAN, enter, links, person, two_agencies
from person_support import warrant as warrant_of

from plataforma.context import Platform
from plataforma.records.service import RecordService
from plataforma.resolve.judgements import Verdict
from plataforma.resolve.national import load_model
from plataforma.resolve.service import PersonService
from plataforma.resolve.store_batch import resolve_store
from plataforma.security.policy import Purpose
from plataforma.security.principal import LOCAL_ADMIN
from plataforma.subscriptions.principals import user_principal


@pytest.fixture
def world(platform: Platform) -> Platform:
    return two_agencies(platform)


def _person_of(platform: Platform, record_id: str) -> str:
    [row] = [r for r in links(platform, record_id) if r.ordinal == 0]
    return row.person_id


def test_records_never_linked_are_linked_and_a_rerun_changes_nothing(world: Platform) -> None:
    first = enter(world, "person", person("P1", "POL-GDL", JOSE), link=False)
    second = enter(world, "warrant", warrant_of("W1", "FGE-JAL", JOSE_MISSPELT), link=False)
    other = enter(world, "person", person("P2", "POL-GDL", OTHER_MAN), link=False)
    assert not links(world, first, second, other)
    seen: list[str] = []
    done = resolve_store(world.engine, world.settings, progress=lambda s, d, t: seen.append(s))
    assert done.records == 3 and done.mentions == 3 and done.persons == 2 and done.new == 3
    assert {"read", "written"} <= set(seen)
    assert _person_of(world, first) == _person_of(world, second) == f"{first}.0"
    assert _person_of(world, other) == f"{other}.0"
    [linked] = [r for r in links(world, second)]
    assert linked.match_score > 0.9 and linked.explanation["against"] == f"{first}.0"
    assert resolve_store(world.engine, world.settings).rewritten == 0


def test_not_same_is_never_overridden_and_same_is_kept(world: Platform) -> None:
    first = enter(world, "person", person("P1", "POL-GDL", JOSE))
    wanted = enter(world, "warrant", warrant_of("W1", "FGE-JAL", JOSE_MISSPELT))
    typo = enter(world, "warrant", warrant_of("W2", "FGE-JAL", {**JOSE, "sex": "M"}))
    assert _person_of(world, typo) != _person_of(world, first)  # sex differs: not linked
    with world.engine.connect() as conn:
        sup = user_principal(conn, "sup_gdl")
    assert sup is not None
    service = PersonService(world)
    intel = Purpose.INTELLIGENCE
    service.judge(sup, f"{first}.0", f"{wanted}.0", Verdict.NOT_SAME, "gemelos", intel)
    service.judge(sup, f"{first}.0", f"{typo}.0", Verdict.SAME, "error de captura", intel)
    resolve_store(world.engine, world.settings)
    assert _person_of(world, first) != _person_of(world, wanted)
    assert _person_of(world, first) == _person_of(world, typo)


def test_a_changed_record_is_linked_again_and_a_vanished_mention_unlinked(
    world: Platform,
) -> None:
    first = enter(world, "person", person("P1", "POL-GDL", JOSE))
    other = enter(world, "person", person("P2", "POL-GDL", OTHER_MAN))
    incident = {
        "source_ref": "IPH-1",
        "agency": "POL-GDL",
        "folio": "IPH-1",
        "occurred_at": "2026-03-01T21:15",
        "place": {"state": "14"},
        "crime_types": ["homicidio_doloso"],
        "persons": [
            {"role": "victim", **OTHER_MAN},
            {"role": "witness", "given_names": "Rosa", "first_surname": "Soto"},
        ],
    }
    iph = enter(world, "incident", incident)
    assert len(links(world, iph)) == 2
    # The clerk corrects P2: it was José all along; the consumer keeps the old link.
    RecordService(world).submit(LOCAL_ADMIN, "person", person("P2", "POL-GDL", JOSE))
    RecordService(world).submit(
        LOCAL_ADMIN, "incident", {**incident, "persons": incident["persons"][:1]}
    )
    assert _person_of(world, other) != _person_of(world, first)
    done = resolve_store(world.engine, world.settings)
    assert done.content_changed >= 1 and done.deleted == 1
    assert _person_of(world, other) == _person_of(world, first)
    assert [r.ordinal for r in links(world, iph)] == [0]


def test_a_trained_model_is_saved_for_the_consumer(world: Platform, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        enter(world, "person", person(f"P{i}", "POL-GDL", JOSE), link=False)
        enter(world, "person", person(f"Q{i}", "POL-GDL", OTHER_MAN), link=False)
    target = tmp_path / "model.json"
    done = resolve_store(world.engine, world.settings, train=True, save_model=target)
    assert target.exists() and done.persons == 2
    configured = world.settings.model_copy(update={"resolve_model": target})
    _model, version = load_model(configured)
    assert done.model_version == version
    assert {r.model_version for r in links(world, *_all_records(world))} == {version}


def _all_records(platform: Platform) -> list[str]:
    from sqlalchemy import select

    from plataforma.store.tables import person_links

    with platform.engine.connect() as conn:
        return list(conn.execute(select(person_links.c.record_id)).scalars())
