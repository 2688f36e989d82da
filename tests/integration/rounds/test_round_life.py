"""A round's whole life against a real store: fenced posting, uncertainty, reminder, closing, catch-up, status."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from config.rkk_config import BotConfig, Pause
from i18n.catalog import Catalog
from rkk.answers import AnswerContext, load_round_for_action
from rkk.errors import ForeignAction, PostFailed
from rkk.model import RoundState
from rkk.rounds.lifecycle import Phase, PostUncertain, Stopped, phase_of
from rkk.rounds.posting import (
    Decision,
    Policy,
    PostOutcome,
    open_round_instead,
    post_question,
    resolve_uncertain,
)
from rkk.rounds.status import format_status_table
from rkk.store.rounds.sql_store import SqlStore
from scheduler.fanout import fan_out
from scheduler.weekly import WeeklyPoster
from tests.integration.rounds.conftest import add_rkks
from tests.unit.rounds.fakes import FakeTeams

MONDAY = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Brussels, week 48
ME = Policy(owner="replica-a")
OTHER = Policy(owner="replica-b")


class Clock:
    """A clock the test moves."""

    def __init__(self, moment: datetime) -> None:
        self.now = moment

    def __call__(self) -> datetime:
        """The current moment."""
        return self.now


def poster(store: SqlStore, config: BotConfig, teams: FakeTeams, clock: Clock) -> WeeklyPoster:
    """The weekly jobs with the fake Teams as publisher and messenger."""
    return WeeklyPoster(store, teams, config, clock, messenger=teams)


async def test_concurrent_fan_outs_of_two_replicas_post_each_rkk_once(store: SqlStore, config: BotConfig) -> None:
    """Two owners firing at once: one card per RKK, the other sees it in progress or posted."""
    await add_rkks(store, config)
    teams = FakeTeams()
    keys = ["antwerpen", "kempen"]
    reports = await asyncio.gather(
        fan_out(store, teams, keys, MONDAY, teams, ME), fan_out(store, teams, keys, MONDAY, teams, OTHER)
    )
    assert sorted(key for key, _ in teams.cards) == keys
    outcomes = sorted(o for report in reports for o in report.outcomes.values())
    assert outcomes.count("posted") == 2


async def test_unsent_claim_of_a_dead_process_is_taken_over_after_its_lease(store: SqlStore, config: BotConfig) -> None:
    """A claim whose owner never reached the HTTP call is posted by another owner once the lease ran out."""
    await add_rkks(store, config)
    pool = await store.rotation_pool("kempen")
    from rkk.rounds.rotation import QuestionSource

    await store.claim_round_as("kempen", "2026-W48", pool.bank[0], QuestionSource.BANK, "dead", MONDAY, ME.lease)
    teams = FakeTeams()
    early = await post_question(store, teams, "kempen", MONDAY + timedelta(minutes=1), OTHER)
    assert early.outcome is PostOutcome.IN_PROGRESS and teams.cards == []
    later = await post_question(store, teams, "kempen", MONDAY + ME.lease, OTHER)
    assert later.outcome is PostOutcome.POSTED and len(teams.cards) == 1


async def test_post_that_died_in_the_call_is_never_reposted_but_flagged(store: SqlStore, config: BotConfig) -> None:
    """Sending began and nothing came back: later calls report it, the keeper flags it and tells coordinators."""
    await add_rkks(store, config)
    teams = FakeTeams(fail_next=["accept_then_unknown"])
    with pytest.raises(PostUncertain):
        await post_question(store, teams, "antwerpen", MONDAY, ME)
    again = await post_question(store, teams, "antwerpen", MONDAY + timedelta(hours=1), OTHER)
    assert again.outcome is PostOutcome.UNCERTAIN
    assert len(teams.cards) == 1
    clock = Clock(MONDAY + timedelta(hours=1))
    await poster(store, config, teams, clock).step()
    facts = await store.round_facts(again.round.id)
    assert facts is not None and phase_of(facts, clock.now) is Phase.UNCERTAIN


async def test_stale_sending_is_flagged_by_the_keeper_once(store: SqlStore, config: BotConfig) -> None:
    """A process killed inside the call leaves 'sending'; after 15 minutes the keeper flags it and tells once."""
    await add_rkks(store, config)
    pool = await store.rotation_pool("antwerpen")
    from rkk.rounds.rotation import QuestionSource

    round_ = await store.claim_round_as(
        "antwerpen", "2026-W48", pool.bank[0], QuestionSource.BANK, "dead", MONDAY, ME.lease
    )
    assert round_ is not None and await store.start_sending(round_.id, "dead", MONDAY)
    teams = FakeTeams()
    clock = Clock(MONDAY + timedelta(minutes=16))
    jobs = poster(store, config, teams, clock)
    await jobs.step()
    await jobs.step()
    assert teams.notices == [("antwerpen", "uncertain", "2026-W48")]
    assert teams.cards == []
    rows = {row.rkk_key: row for row in await jobs.status()}
    assert rows["antwerpen"].phase == "uncertain"


async def test_coordinator_posts_an_uncertain_round_again_or_dismisses_it(store: SqlStore, config: BotConfig) -> None:
    """'Post anyway' posts once; 'dismiss' closes the week; neither applies to a round that is not uncertain."""
    await add_rkks(store, config)
    teams = FakeTeams(fail_next=["unknown", "unknown"])
    for key in ("antwerpen", "kempen"):
        with pytest.raises(PostUncertain):
            await post_question(store, teams, key, MONDAY, ME)
    posted = await resolve_uncertain(store, teams, "antwerpen", "2026-W48", Decision.POST_AGAIN, MONDAY, OTHER)
    assert posted is not None and posted.outcome is PostOutcome.POSTED
    assert await resolve_uncertain(store, teams, "antwerpen", "2026-W48", Decision.POST_AGAIN, MONDAY, OTHER) is None
    dismissed = await resolve_uncertain(store, teams, "kempen", "2026-W48", Decision.DISMISS, MONDAY, OTHER)
    assert dismissed is not None and dismissed.round.state is RoundState.CLOSED
    assert [key for key, _ in teams.cards] == ["antwerpen"]


async def test_card_action_on_a_lost_card_adopts_it(store: SqlStore, config: BotConfig) -> None:
    """The card did land: an answer from its thread tells us where, and the round is posted there."""
    await add_rkks(store, config)
    teams = FakeTeams(fail_next=["accept_then_unknown"])
    with pytest.raises(PostUncertain):
        await post_question(store, teams, "kempen", MONDAY, ME)
    round_ = await store.round_for_week("kempen", "2026-W48")
    assert round_ is not None
    team = "19:kempen@thread.tacv2"
    for context in (
        AnswerContext("19:antwerpen@thread.tacv2", f"{team};messageid=42"),
        AnswerContext(team, "19:other@thread.tacv2;messageid=42"),
    ):
        with pytest.raises(ForeignAction):
            await load_round_for_action(store, round_.id, context, MONDAY)
    adopted, _ = await load_round_for_action(store, round_.id, AnswerContext(team, f"{team};messageid=42"), MONDAY)
    assert (adopted.state, adopted.message_id) == (RoundState.POSTED, "42")
    with pytest.raises(ForeignAction):
        await load_round_for_action(store, round_.id, AnswerContext(team, f"{team};messageid=43"), MONDAY)


async def test_refused_post_fails_and_is_retried_by_the_next_call(store: SqlStore, config: BotConfig) -> None:
    """Teams refusing outright is not uncertain: the next attempt may post."""
    await add_rkks(store, config)
    teams = FakeTeams(fail_next=["refuse"])
    with pytest.raises(PostFailed):
        await post_question(store, teams, "kempen", MONDAY, ME)
    assert (await post_question(store, teams, "kempen", MONDAY, OTHER)).outcome is PostOutcome.POSTED
    assert len(teams.cards) == 1


async def test_round_is_reminded_once_then_closed_with_its_final_count(
    store: SqlStore, config: BotConfig, texts: Catalog
) -> None:
    """Wednesday 17:00 one reminder (even with two replicas stepping), Friday 17:00 the closed card."""
    await add_rkks(store, config, ("antwerpen",))
    teams = FakeTeams()
    clock = Clock(MONDAY)
    jobs, twin = poster(store, config, teams, clock), poster(store, config, teams, clock)
    await jobs.post_due(config.schedule)
    clock.now = datetime(2026, 11, 25, 16, 0, tzinfo=UTC)  # Wednesday 17:00 Brussels
    await asyncio.gather(jobs.step(), twin.step())
    assert [(key, count) for key, _, count in teams.reminders] == [("antwerpen", 0)]
    clock.now = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)  # Friday 17:00
    teams.fail_next = ["close"]
    await asyncio.gather(jobs.step(), twin.step())
    assert teams.closed == []  # the card update failed once ...
    await jobs.step()
    assert [(key, count) for key, _, count in teams.closed] == [("antwerpen", 0)]  # ... and is repeated
    await jobs.step()
    assert len(teams.closed) == 1
    [row] = await jobs.status()
    assert row.phase == "closed" and row.answers == 0
    assert "afgesloten" in format_status_table([row], texts)


async def test_answer_to_a_closed_round_is_pointed_at_the_open_one(store: SqlStore, config: BotConfig) -> None:
    """Last week's card, closed, leads to this week's question."""
    await add_rkks(store, config, ("antwerpen",))
    teams = FakeTeams()
    last = await post_question(store, teams, "antwerpen", MONDAY - timedelta(weeks=1))
    assert await store.close_round(last.round.id, MONDAY) == 0
    assert await open_round_instead(store, last.round.id) is None
    current = await post_question(store, teams, "antwerpen", MONDAY)
    found = await open_round_instead(store, last.round.id)
    assert found is not None and found.id == current.round.id


async def test_catch_up_posts_a_missed_round_the_same_day(store: SqlStore, config: BotConfig) -> None:
    """Down at 09:00, up at 15:00 the same Monday: the question goes out then."""
    await add_rkks(store, config, ("antwerpen",))
    teams = FakeTeams()
    report = await poster(store, config, teams, Clock(MONDAY + timedelta(hours=6))).catch_up()
    assert report.outcomes == {"antwerpen": "posted"} and len(teams.cards) == 1


async def test_catch_up_skips_a_week_missed_too_long_and_says_so_once(store: SqlStore, config: BotConfig) -> None:
    """Up again on Tuesday: no question this week, one notice to the coordinators across restarts."""
    await add_rkks(store, config, ("antwerpen",))
    teams = FakeTeams()
    for _restart in range(2):
        await poster(store, config, teams, Clock(MONDAY + timedelta(days=1))).catch_up()
    assert teams.cards == []
    assert teams.notices == [("antwerpen", "skipped", "2026-W48")]
    [row] = await poster(store, config, teams, Clock(MONDAY + timedelta(days=1))).status()
    assert row.phase == "skipped"


async def test_catch_up_respects_pauses_and_status_shows_them(
    store: SqlStore, config: BotConfig, texts: Catalog
) -> None:
    """A paused week posts nothing, notifies nobody and shows 'gepauzeerd tot ... (reden)'."""
    config = replace(config, pauses=(Pause(date(2026, 11, 16), date(2026, 11, 29), "studiedag"),))
    await add_rkks(store, config, ("antwerpen",))
    teams = FakeTeams()
    jobs = poster(store, config, teams, Clock(MONDAY + timedelta(days=1)))
    await jobs.catch_up()
    assert teams.cards == [] and teams.notices == []
    assert "gepauzeerd tot 29-11-2026 (studiedag)" in format_status_table(await jobs.status(), texts)


async def test_nothing_left_posts_nothing_and_tells_the_coordinators(store: SqlStore, config: BotConfig) -> None:
    """With every bank question asked within the gap, the week has no round and one notice."""
    await add_rkks(store, config, ("antwerpen",))
    teams = FakeTeams()
    tight = Policy(repeat_gap_weeks=52)
    for week in range(len(config.questions)):
        await post_question(store, teams, "antwerpen", MONDAY + timedelta(weeks=week), tight)
    moment = MONDAY + timedelta(weeks=len(config.questions))
    report = await fan_out(store, teams, ["antwerpen"], moment, teams, tight)
    report_again = await fan_out(store, teams, ["antwerpen"], moment, teams, tight)
    assert report.outcomes == report_again.outcomes == {"antwerpen": "no_question_left"}
    assert [n for n in teams.notices if n[1] == "no_question"] == [("antwerpen", "no_question", "2027-W10")]


class StoppingTeams(FakeTeams):
    """A publisher inside a stopping process: the request never goes out."""

    async def publish_guarded(self, rkk, round_, guard):  # type: ignore[no-untyped-def]
        """Refuse before the guard is entered, as the connector does once it stops."""
        raise Stopped("post: not sent, the process is stopping")


async def test_post_stopped_before_sending_is_released_for_another_process(store: SqlStore, config: BotConfig) -> None:
    """A stopping process gives the claim back at once: another owner posts the round without waiting for the lease."""
    await add_rkks(store, config, ("kempen",))

    stopped = await post_question(store, StoppingTeams(), "kempen", MONDAY, ME)
    teams = FakeTeams()
    other = await post_question(store, teams, "kempen", MONDAY + timedelta(seconds=1), OTHER)

    assert stopped.outcome is PostOutcome.RELEASED
    assert other.outcome is PostOutcome.POSTED and len(teams.cards) == 1


class HangingTeams(FakeTeams):
    """A publisher whose request hangs: before the guard (waiting for a slot) or after it (on the wire)."""

    def __init__(self, on_wire: bool) -> None:
        super().__init__()
        self.on_wire = on_wire
        self.waiting = asyncio.Event()

    async def publish_guarded(self, rkk, round_, guard):  # type: ignore[no-untyped-def]
        """Enter the guard if the request goes out, then hang until cancelled."""
        if self.on_wire:
            assert await guard.enter()
        self.waiting.set()
        await asyncio.Event().wait()


@pytest.mark.parametrize("on_wire", [False, True], ids=["waiting", "on-the-wire"])
async def test_cancelled_post_is_released_only_if_its_request_never_went(
    store: SqlStore, config: BotConfig, on_wire: bool
) -> None:
    """Cancelled while waiting: free for others at once. Cancelled on the wire: left 'sending' (it may be posted)."""
    await add_rkks(store, config, ("kempen",))
    teams = HangingTeams(on_wire)
    task = asyncio.create_task(post_question(store, teams, "kempen", MONDAY, ME))
    await teams.waiting.wait()

    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    round_ = await store.round_for_week("kempen", "2026-W48")
    assert round_ is not None
    facts = await store.round_facts(round_.id)
    assert facts is not None

    assert (facts.sending_at is not None) is on_wire
    assert (facts.lease_until is not None and facts.lease_until <= MONDAY + timedelta(seconds=5)) is not on_wire
