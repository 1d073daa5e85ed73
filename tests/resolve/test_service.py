"""Judgements and the person page through the service: authorised, audited, applied at once,
reversible, respected by later linking; a caller sees only records they may read."""

from __future__ import annotations

import pytest
from person_support import (
    JOSE,
    JOSE_MISSPELT,
    MARKINGS,
    enter,
    links,
    person,
    two_agencies,
    warrant,
)
from sqlalchemy import select

from plataforma.context import Platform
from plataforma.errors import Forbidden, NotFound
from plataforma.resolve.judgements import Verdict
from plataforma.resolve.review import ReviewService
from plataforma.resolve.service import JudgementConflict, PersonService
from plataforma.security.policy import Purpose
from plataforma.store.tables import audit_log
from plataforma.subscriptions.principals import user_principal

INTEL = Purpose.INTELLIGENCE


@pytest.fixture
def world(platform: Platform) -> Platform:
    return two_agencies(platform)


def who(platform: Platform, username: str):  # type: ignore[no-untyped-def]
    with platform.engine.connect() as conn:
        principal = user_principal(conn, username)
    assert principal is not None
    return principal


def pair(world: Platform, marking: str = "SBU") -> tuple[str, str]:
    first = enter(world, "person", person("P1", "POL-GDL", JOSE))
    wanted = enter(world, "warrant", warrant("W1", "FGE-JAL", JOSE_MISSPELT, marking=marking))
    return f"{first}.0", f"{wanted}.0"


def test_not_same_splits_at_once_is_audited_and_respected_by_later_linking(
    world: Platform,
) -> None:
    left, right = pair(world)
    service = PersonService(world)
    stored = service.judge(who(world, "sup_gdl"), left, right, Verdict.NOT_SAME, "gemelos", INTEL)
    by_mention = {r.mention_id: r.person_id for r in links(world, left[:-2], right[:-2])}
    assert by_mention[left] == left and by_mention[right] == right
    # A third record of the same man still joins the oldest, never the judged-apart one too.
    third = enter(world, "warrant", warrant("W2", "FGE-JAL", JOSE_MISSPELT))
    [row] = links(world, third)
    assert row.person_id in (left, right)
    assert {r.person_id for r in links(world, left[:-2], right[:-2])} == {left, right}
    with world.engine.connect() as conn:
        actions = [r.action for r in conn.execute(select(audit_log.c.action))]
    assert "judgement" in actions
    # Revoked: the persons are resolved again and the two are one person once more.
    service.revoke(who(world, "sup_gdl"), stored.id, INTEL)
    assert len({r.person_id for r in links(world, left[:-2], right[:-2])}) == 1


def test_same_merges_and_a_contradicting_judgement_is_refused(world: Platform) -> None:
    left, right = pair(world)
    service = PersonService(world)
    sup = who(world, "sup_gdl")
    service.judge(sup, left, right, Verdict.NOT_SAME, "distintos", INTEL)
    with pytest.raises(JudgementConflict):
        service.judge(sup, left, right, Verdict.SAME, "el mismo", INTEL)


@pytest.mark.parametrize("username", ["officer_gdl", "clerk_gdl"])
def test_only_analysts_and_supervisors_judge(world: Platform, username: str) -> None:
    left, right = pair(world)
    with pytest.raises(Forbidden):
        PersonService(world).judge(who(world, username), left, right, Verdict.SAME, "x" * 3, INTEL)


def test_a_purpose_is_required(world: Platform) -> None:
    left, right = pair(world)
    with pytest.raises(Forbidden):
        PersonService(world).judge(who(world, "sup_gdl"), left, right, Verdict.SAME, "xyz", None)


@pytest.mark.parametrize("marking", MARKINGS)
def test_the_person_page_shows_only_readable_records_and_counts_others_by_policy(
    world: Platform, marking: str
) -> None:
    """POL-GDL's SBU analyst and FGE-JAL's warrant under every marking: above SBU it is
    neither shown nor named in an explanation; the analyst is not told it exists, the
    intelligence analyst of another agency is told only how many."""
    left, right = pair(world, marking)
    service = PersonService(world)
    page = service.person(who(world, "ana_gdl"), left, INTEL)
    shown = {r["mention_id"] for r in page["records"]}
    visible = marking in ("PUBLIC", "SBU")
    assert shown == ({left, right} if visible else {left})
    assert "withheld_count" not in page
    for item in page["records"]:
        against = item["explanation"].get("against")
        assert against is None or against in shown
    text = str(page)
    if not visible:
        assert right[:-2] not in text and "RAMIERZ" not in text
    intel = service.person(who(world, "intel_zap"), left, INTEL)
    assert intel["withheld_count"] == (0 if visible else 1)


def test_an_unknown_or_unreadable_person_is_not_found(world: Platform) -> None:
    with pytest.raises(NotFound):
        PersonService(world).person(who(world, "ana_gdl"), "nobody.0", INTEL)
    _, right = pair(world, "SECRET")
    with pytest.raises(NotFound):
        PersonService(world).judge(
            who(world, "ana_gdl"), right, right.replace(".0", ".1"), Verdict.SAME, "xyz", INTEL
        )


def test_accepting_a_review_item_merges_and_closes_it(world: Platform) -> None:
    world.settings = world.settings.model_copy(update={"resolve_review_high": 0.99999})
    enter(world, "person", person("P1", "POL-GDL", JOSE))
    sparse = {k: v for k, v in JOSE.items() if k not in ("date_of_birth", "sex")}
    enter(world, "warrant", warrant("W1", "FGE-JAL", {**sparse, "second_surname": None}))
    reviews = ReviewService(world)
    queue = reviews.queue(who(world, "sup_gdl"), INTEL)
    assert queue["items"], "nothing to review"
    item = queue["items"][0]
    assert item["left"]["name"] and item["right"]["name"] and item["explanation"]["fields"]
    decided = reviews.decide(who(world, "sup_gdl"), item["id"], False, "no es él", INTEL)
    assert decided["status"] == "rejected"
    again = reviews.queue(who(world, "sup_gdl"), INTEL)
    assert item["id"] not in [i["id"] for i in again["items"]]
    with pytest.raises(JudgementConflict):
        reviews.decide(who(world, "sup_gdl"), item["id"], True, "sí es", INTEL)
