"""The scoring store on SQLite and PostgreSQL: one open round, cards claimed once, score sets replaced."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from rkk.model import ChannelTarget
from rkk.ports import Posted
from rkk.scoring import NewRound, PostKey, PostKind, ScoringRound, manual_topic
from rkk.store.scoring import ScoringStore
from rkk.store.scoring.tables import score_submissions, score_values
from tests.integration.scoring.conftest import ScoringWorld, voter

LEASE = timedelta(minutes=5)
TARGET = ChannelTarget("http://127.0.0.1:9/teams/", "tenant", "19:kempen-general@thread.tacv2", "19:kempen")


async def new_round(world: ScoringWorld, **changes: object) -> ScoringRound | None:
    """Create a round with two hand-made topics for Kempen, deadline in two weeks."""
    values: dict[str, object] = {
        "deadline": world.later(14),
        "threshold": 0.6,
        "share_with_rkks": False,
        "audience": ("kempen",),
        "started_by_id": "aad-global",
        "started_by": "Griet Globaal",
    } | changes
    topics = [manual_topic("Cloud", "Eén zin."), manual_topic("Back-ups", "", local_impact=False)]
    return await world.scoring_store.create_round(NewRound(**values), topics, world.now)  # type: ignore[arg-type]


async def test_a_round_keeps_its_topics_audience_and_deadline(world: ScoringWorld) -> None:
    """What was stored comes back in order, with ids for the topics."""
    round_ = await new_round(world)
    assert round_ is not None
    assert [(t.label, t.description, t.local_impact, t.position) for t in round_.topics] == [
        ("Cloud", "Eén zin.", True, 1),
        ("Back-ups", "", False, 2),
    ]
    assert (round_.audience, round_.deadline, round_.threshold) == (("kempen",), world.later(14), 0.6)
    assert await world.scoring_store.open_round() == round_


async def test_only_one_round_is_open_even_when_two_start_at_once(world: ScoringWorld) -> None:
    """Two starts racing: one round is created, the other gets None."""
    created = await asyncio.gather(new_round(world), new_round(world))
    assert sorted(r is None for r in created) == [False, True]


async def test_closing_happens_exactly_once(world: ScoringWorld) -> None:
    """Two closes racing: one of them closed the round."""
    round_ = await new_round(world)
    assert round_ is not None
    closes = await asyncio.gather(*(world.scoring_store.close_round(round_.id, world.now) for _ in range(3)))
    assert sorted(closes) == [False, False, True]
    assert await world.scoring_store.open_round() is None
    assert await new_round(world) is not None  # the next round may start


async def test_a_card_is_claimed_by_one_caller_and_fenced_once(world: ScoringWorld) -> None:
    """Concurrent claims: one owner; only that owner may start sending, and only once."""
    round_ = await new_round(world)
    assert round_ is not None
    key = PostKey(round_.id, PostKind.BALLOT, "kempen")
    store = world.scoring_store
    claims = await asyncio.gather(*(store.claim_post(key, f"p{i}", world.now, LEASE) for i in range(3)))
    assert sum(claims) == 1
    owner = f"p{claims.index(True)}"
    assert not await store.start_sending(key, "intruder", world.now)
    assert await store.start_sending(key, owner, world.now)
    assert not await store.start_sending(key, owner, world.now)
    await store.stop_sending(key, owner, world.now, LEASE)  # Teams refused: may try again
    assert await store.start_sending(key, owner, world.now)
    assert await store.finish_posted(key, TARGET, Posted("19:kempen;messageid=1", "1"), world.now)
    post = await store.get_post(key)
    assert post is not None and post.posted and post.target == TARGET
    assert not await store.claim_post(key, "p9", world.later(1), LEASE)  # posted: never again


async def test_a_failed_card_may_be_claimed_again(world: ScoringWorld) -> None:
    """After a refusal, another process claims the card anew."""
    round_ = await new_round(world)
    assert round_ is not None
    key = PostKey(round_.id, PostKind.RESULTS, "overkoepelend")
    store = world.scoring_store
    assert await store.claim_post(key, "a", world.now, LEASE)
    await store.finish_failed(key, "Teams answered 503")
    assert await store.claim_post(key, "b", world.now, LEASE)


async def test_the_reminder_is_claimed_once_per_deadline(world: ScoringWorld) -> None:
    """A ballot's reminder: once; after an extension, once more for the new deadline."""
    round_ = await new_round(world)
    assert round_ is not None
    key = PostKey(round_.id, PostKind.BALLOT, "kempen")
    store = world.scoring_store
    await store.claim_post(key, "a", world.now, LEASE)
    await store.start_sending(key, "a", world.now)
    await store.finish_posted(key, TARGET, Posted("19:kempen;messageid=1", "1"), world.now)
    assert [await store.claim_reminder(key, round_.deadline, world.now) for _ in range(2)] == [True, False]
    assert await store.claim_reminder(key, round_.deadline + timedelta(days=7), world.now)


async def test_a_later_submission_replaces_the_bestuur_set_and_history_is_kept(world: ScoringWorld) -> None:
    """Two members of one bestuur: the second set counts, both submissions stay stored."""
    round_ = await new_round(world)
    assert round_ is not None
    cloud, backups = (t.id for t in round_.topics)
    store = world.scoring_store
    first = await store.save_scores(
        round_.id, "kempen", voter("An", "Gemeente Geel"), {cloud: 8, backups: None}, world.now
    )
    second = await store.save_scores(
        round_.id, "kempen", voter("Bart", "Gemeente Geel"), {cloud: 3, backups: 9}, world.later(1)
    )
    assert first is not None and first[1] is None
    assert second is not None and second[1] is not None and second[1].member_name == "An"
    [counted] = await store.score_sets(round_.id)
    assert (counted.member_name, dict(counted.scores), counted.submitted_at) == (
        "Bart",
        {cloud: 3, backups: 9},
        world.later(1),
    )
    async with store._engine.connect() as conn:
        names = [r.member_name for r in await conn.execute(select(score_submissions).order_by(score_submissions.c.id))]
    assert names == ["An", "Bart"]


async def test_no_score_set_is_stored_once_the_round_is_closed_or_past_its_deadline(world: ScoringWorld) -> None:
    """The round's own row decides: closed, or past the deadline, nothing is written."""
    round_ = await new_round(world)
    assert round_ is not None
    topic = round_.topics[0].id
    store = world.scoring_store
    assert (
        await store.save_scores(round_.id, "kempen", voter("An", "Gemeente Geel"), {topic: 5}, world.later(15)) is None
    )
    await store.close_round(round_.id, world.now)
    assert await store.save_scores(round_.id, "kempen", voter("An", "Gemeente Geel"), {topic: 5}, world.now) is None
    assert await store.score_sets(round_.id) == []


async def test_the_database_refuses_a_score_outside_0_to_10(world: ScoringWorld) -> None:
    """A CHECK constraint backs the rule up: 11 never lands in score_values."""
    round_ = await new_round(world)
    assert round_ is not None
    saved = await world.scoring_store.save_scores(
        round_.id, "kempen", voter("An", "Gemeente Geel"), {round_.topics[0].id: 5}, world.now
    )
    assert saved is not None
    async with world.scoring_store._engine.connect() as conn:
        submission = (await conn.execute(select(score_submissions.c.id))).scalar_one()
        with pytest.raises(IntegrityError):
            await conn.execute(
                insert(score_values).values(submission_id=submission, topic_id=round_.topics[1].id, score=11)
            )


async def test_known_besturen_come_from_answers_and_ballot_submissions(world: ScoringWorld) -> None:
    """Known in Kempen: besturen that answered there (not hidden, not "onbekend") or scored on its ballot."""
    round_ = await new_round(world)
    assert round_ is not None
    await world.answer("kempen", "Gemeente Geel", "2026-W47", "Antwoord")
    await world.answer("kempen", "onbekend", "2026-W47", "Antwoord")
    hidden = await world.answer("kempen", "Gemeente Mol", "2026-W47", "Weg")
    await world.hide([hidden])
    await world.answer("limburg", "Stad Genk", "2026-W47", "Antwoord")
    await world.scoring_store.save_scores(
        round_.id, "kempen", voter("Tom", "Stad Turnhout"), {round_.topics[0].id: 1}, world.now
    )
    known = await world.scoring_store.known_besturen(round_.id, ["kempen", "limburg"])
    assert known == {"kempen": {"Gemeente Geel", "Stad Turnhout"}, "limburg": {"Stad Genk"}}


async def test_the_export_has_a_row_per_bestuur_per_topic_with_empty_scores_empty(world: ScoringWorld) -> None:
    """Only the counted sets, every topic of the round, "" for a topic left empty."""
    round_ = await new_round(world)
    assert round_ is not None
    cloud, backups = (t.id for t in round_.topics)
    store: ScoringStore = world.scoring_store
    await store.save_scores(round_.id, "kempen", voter("An", "Gemeente Geel"), {cloud: 1, backups: 1}, world.now)
    await store.save_scores(round_.id, "kempen", voter("Bart", "Gemeente Geel"), {cloud: 7, backups: None}, world.now)
    rows = await store.export_scores()
    assert [(r.bestuur, r.topic, r.score, r.submitted_by) for r in rows] == [
        ("Gemeente Geel", "Cloud", "7", "Bart"),
        ("Gemeente Geel", "Back-ups", "", "Bart"),
    ]


async def test_viewers_are_the_latest_members_up_to_the_limit(world: ScoringWorld) -> None:
    """The refresh list holds the members who acted most recently, each once."""
    round_ = await new_round(world)
    assert round_ is not None
    store = world.scoring_store
    for minute, member in enumerate(["29:a", "29:b", "29:c", "29:a"]):
        await store.add_viewer(round_.id, "kempen", member, world.now + timedelta(minutes=minute))
    assert await store.viewers(round_.id, "kempen", 2) == ["29:a", "29:c"]
