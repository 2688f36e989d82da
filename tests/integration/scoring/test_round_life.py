"""A scoring round from start to results, on SQLite and PostgreSQL, with the connector double."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from rkk.scoring import (
    UMBRELLA,
    PostKey,
    PostKind,
    ScoringState,
    close_scoring,
    keep_scoring,
    submit_scores,
)
from tests.card_text import actions, elements, strings
from tests.integration.crosspost.conftest import RKKS, UMBRELLA_CHANNEL, team_id
from tests.integration.scoring.conftest import COORDINATOR, ScoringWorld, scores, voter


async def test_starting_posts_one_ballot_per_rkk_and_a_second_step_posts_none(world: ScoringWorld) -> None:
    """Every audience RKK gets its ballot once; the next keeper step finds nothing to post."""
    round_ = await world.start()
    assert (await keep_scoring(world.scoring, world.now))["ballots"] == 4
    assert set(world.ballots()) == set(RKKS)
    assert await keep_scoring(world.scoring, world.later(0.01)) == {}
    assert len(world.connector.threads) == 4
    ballot = world.ballots()["kempen"]
    assert [t.label for t in round_.topics] == [
        "MAGDA documentendienst",
        "Phishing oefeningen",
        "Digitaal archiefbeheer",
    ]
    assert "Aangebracht door 6 besturen in 3 RKK's · lokale impact" in strings(ballot)
    assert actions(ballot, "score_submit")[0]["data"] == {"scoringId": round_.id, "rkk": "kempen"}


async def test_two_replicas_stepping_at_once_post_each_ballot_once(world: ScoringWorld) -> None:
    """Two processes with their own owner tokens run the step together: still one card per RKK."""
    await world.start()
    other = world.replica("replica-b")
    await asyncio.gather(keep_scoring(world.scoring, world.now), keep_scoring(other, world.now))
    assert sorted(t.channel_id for t, _ in world.connector.threads) == sorted(team_id(k) for k in RKKS)


async def test_a_ballot_lost_inside_the_call_is_flagged_not_posted_again(world: ScoringWorld) -> None:
    """A process died after marking the ballot "sending": never re-posted, uncertain after 15 minutes."""
    round_ = await world.start(audience=("kempen",))
    key = PostKey(round_.id, PostKind.BALLOT, "kempen")
    assert await world.scoring_store.claim_post(key, "dead-process", world.now, world.scoring.policy.lease)
    assert await world.scoring_store.start_sending(key, "dead-process", world.now)
    assert await keep_scoring(world.scoring, world.later(1 / 24 / 60)) == {}
    assert (await keep_scoring(world.scoring, world.later(1 / 24 / 4)))["uncertain"] == 1
    assert world.connector.threads == []
    post = await world.scoring_store.get_post(key)
    assert post is not None and post.uncertain_at is not None and not post.posted


async def test_an_abandoned_unsent_claim_is_taken_over_after_its_lease(world: ScoringWorld) -> None:
    """A claim whose process died before sending is posted by the next step once the lease ran out."""
    round_ = await world.start(audience=("kempen",))
    key = PostKey(round_.id, PostKind.BALLOT, "kempen")
    assert await world.scoring_store.claim_post(key, "dead-process", world.now, world.scoring.policy.lease)
    assert await keep_scoring(world.scoring, world.now) == {}
    assert (await keep_scoring(world.scoring, world.later(1 / 24 / 6)))["ballots"] == 1


async def test_the_reminder_goes_once_per_ballot_three_days_before_with_counts_only(world: ScoringWorld) -> None:
    """Nog X van de Y: one reply in each thread, no names and no mentions; a second step sends none."""
    round_ = await world.start(audience=("kempen", "limburg"))
    await keep_scoring(world.scoring, world.now)
    rkk = await world.store.get_rkk("kempen")
    assert rkk is not None
    await world.answer("kempen", "Gemeente Geel", "2026-W47", "Wij ook.")
    await submit_scores(
        world.scoring, round_, rkk, voter("An Peeters", "Gemeente Brasschaat"), scores(round_, 8), world.now
    )
    assert await keep_scoring(world.scoring, round_.deadline - timedelta(days=3, minutes=1)) == {}  # not yet
    assert (await keep_scoring(world.scoring, round_.deadline - timedelta(days=3)))["reminded"] == 2
    assert (await keep_scoring(world.scoring, round_.deadline - timedelta(days=2))).get("reminded") is None
    replies = {conversation: activity.text for conversation, activity in world.connector.sent}
    kempen = replies[await world.thread_of(round_, "kempen")]
    assert "1 van de 2 besturen in deze RKK gaven scores" in kempen
    assert "An Peeters" not in kempen and "Brasschaat" not in kempen and "<at>" not in kempen


async def test_the_deadline_closes_once_posts_results_and_closes_the_ballots(world: ScoringWorld) -> None:
    """At the deadline: closed exactly once, results in RKK Overkoepelend, ballots "afgesloten" with a link."""
    round_ = await world.start()
    await keep_scoring(world.scoring, world.now)
    rkk = await world.store.get_rkk("kempen")
    assert rkk is not None
    await submit_scores(
        world.scoring, round_, rkk, voter("An", "Gemeente Brasschaat"), scores(round_, 9, 2, 7), world.now
    )
    done = await keep_scoring(world.scoring, round_.deadline)
    assert (done["closed"], done["results"], done["ballots_closed"]) == (1, 1, 4)
    assert await keep_scoring(world.scoring, round_.deadline) == {}
    closed = await world.scoring_store.get_round(round_.id)
    assert closed is not None and closed.state is ScoringState.CLOSED
    [results] = world.posted_in(UMBRELLA_CHANNEL)
    assert "Resultaten van de scoreronde" in strings(results)
    kempen_ballot = world.connector.updates[-1][2].attachments[0].content
    assert "Afgesloten: scores geven kan niet meer." in strings(kempen_ballot)
    assert not any(e.get("type") == "Input.ChoiceSet" for e in elements(kempen_ballot))
    assert next(a["url"] for a in elements(kempen_ballot) if a.get("type") == "Action.OpenUrl").startswith(
        "https://teams.microsoft.com/l/message/"
    )


async def test_results_shared_with_every_rkk_link_each_ballot_to_its_own_channel(world: ScoringWorld) -> None:
    """With the coordinator's choice, each audience RKK gets the results card too, and its ballot links there."""
    round_ = await world.start(audience=("kempen",), share_with_rkks=True)
    await keep_scoring(world.scoring, world.now)
    await keep_scoring(world.scoring, round_.deadline)
    assert len(world.posted_in(team_id("kempen"))) == 2  # the ballot and the results
    post = await world.scoring_store.get_post(PostKey(round_.id, PostKind.RESULTS, "kempen"))
    ballot = await world.scoring_store.get_post(PostKey(round_.id, PostKind.BALLOT, "kempen"))
    assert post is not None and ballot is not None and ballot.closed_link == post.message_id


async def test_closing_early_is_audited_and_the_results_follow(world: ScoringWorld) -> None:
    """`scoring sluiten` closes now, writes who did it in the audit log, and the next step posts the results."""
    round_ = await world.start(audience=("kempen",))
    await close_scoring(world.scoring, COORDINATOR, world.later(1))
    assert (await keep_scoring(world.scoring, world.later(1)))["results"] == 1
    entries = await world.admin.audit_entries()
    assert [(e.action, e.actor_name) for e in entries] == [
        ("scoring_close", "Griet Globaal"),
        ("scoring_start", "Griet Globaal"),
    ]
    assert str(round_.id) in entries[0].detail


async def test_results_that_teams_refuses_are_posted_by_a_later_step(world: ScoringWorld) -> None:
    """A refused results post (503 six times) is claimed again and posted by the next step."""
    from bot.outbound.retry import ConnectorError

    round_ = await world.start(audience=("kempen",))
    await keep_scoring(world.scoring, world.now)
    world.connector.fail.append(ConnectorError("Teams answered 503", 503))
    await keep_scoring(world.scoring, round_.deadline)
    post = await world.scoring_store.get_post(PostKey(round_.id, PostKind.RESULTS, UMBRELLA))
    assert post is not None and post.state == "failed"
    assert (await keep_scoring(world.scoring, round_.deadline))["results"] == 1


@pytest.mark.parametrize("days", [-1, 0.5])
async def test_a_submission_after_the_deadline_stores_nothing(world: ScoringWorld, days: float) -> None:
    """Past the deadline (closed or not yet closed by the job) a score set is refused."""
    from rkk.scoring import ScoringClosed

    round_ = await world.start(audience=("kempen",))
    rkk = await world.store.get_rkk("kempen")
    assert rkk is not None
    if days < 0:
        await close_scoring(world.scoring, COORDINATOR, world.now)
        round_ = await world.scoring_store.get_round(round_.id)  # type: ignore[assignment]
    moment = round_.deadline + timedelta(days=days) if days > 0 else world.now
    with pytest.raises(ScoringClosed):
        await submit_scores(world.scoring, round_, rkk, voter("An", "Gemeente Brasschaat"), scores(round_, 8), moment)
    assert await world.scoring_store.score_sets(round_.id) == []
