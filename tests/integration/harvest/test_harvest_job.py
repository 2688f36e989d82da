"""The harvest job: which rounds it reads, its schedule, and the last harvest when a round closes."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import update

from bot.graph.adapter import MsGraph
from bot.graph.configured import graph_configured, graph_if_configured
from config.settings import SettingsError
from rkk.store.answers.replies import SqlReplySink
from rkk.store.engine import create_engine
from rkk.store.leases import SqlLeases
from rkk.store.rounds.sql_store import SqlStore
from rkk.store.rounds.threads import RoundThread, ThreadRounds, split_thread
from rkk.store.tables import rounds, teams
from scheduler.harvest import (
    DEFAULT_INTERVAL,
    HARVEST_JOB_ID,
    HARVEST_LEASE,
    ReplyHarvester,
    add_harvest_job,
    harvest_turn,
    interval_from_env,
    schedule_harvest,
)
from tests.doubles.graph_double import GraphState
from tests.doubles.reply_sink import InMemoryReplySink
from tests.integration.graph.conftest import DOMAINS
from tests.integration.harvest.conftest import (
    CHANNEL_ID,
    POSTED_AT,
    ROOT_ID,
    TEAM_ID,
    TEAMS_ID,
    posted_round,
    reply_rows,
    seed_replies,
)

pytestmark = pytest.mark.filterwarnings("ignore:This class is deprecated:DeprecationWarning")


async def close(store: SqlStore, round_id: int) -> None:
    """Mark the round closed, as the closing job will."""
    async with store.engine.begin() as conn:
        await conn.execute(update(rounds).where(rounds.c.id == round_id).values(state="closed"))


async def test_open_threads_are_posted_rounds_with_their_graph_ids(
    store: SqlStore, threads: ThreadRounds, round_id: int
) -> None:
    """A posted round is listed with the team's group id, the channel and the card's message id."""
    assert await threads.open_threads() == [RoundThread(round_id, TEAM_ID, CHANNEL_ID, ROOT_ID)]


async def test_closed_rounds_and_teams_without_group_id_are_not_harvested(
    store: SqlStore, threads: ThreadRounds, round_id: int
) -> None:
    """Only posted rounds of teams whose Graph group id is known are read."""
    await close(store, round_id)
    other = await posted_round(store, "2026-W49", "1764496800000")
    listed = [thread.round_id for thread in await threads.open_threads()]
    async with store.engine.begin() as conn:
        await conn.execute(update(teams).where(teams.c.id == TEAMS_ID).values(aad_group_id=None))

    assert listed == [other]
    assert await threads.open_threads() == []


async def test_harvest_job_reads_every_open_round(
    state: GraphState, graph: MsGraph, store: SqlStore, sink: SqlReplySink, threads: ThreadRounds, round_id: int
) -> None:
    """One run of the job stores the replies of the open rounds."""
    seed_replies(state, 3)
    harvester = ReplyHarvester(graph, sink, threads, DOMAINS)

    await harvester.run_job()

    assert sorted(await reply_rows(store)) == ["r000", "r001", "r002"]


async def test_last_harvest_reads_a_closed_round_from_the_top_after_resuming(
    state: GraphState, graph: MsGraph, store: SqlStore, sink: SqlReplySink, threads: ThreadRounds, round_id: int
) -> None:
    """At closing time an interrupted harvest is finished and the thread read once more from the first page."""
    seed_replies(state, 60)
    state.inject(500, "skiptoken=b2Zmc2V0PTUw")
    harvester = ReplyHarvester(graph, sink, threads, DOMAINS)
    await harvester.harvest_open_rounds()
    await close(store, round_id)
    seed_replies(state, 2, user_id="aad-jan", prefix="late")

    report = await harvester.harvest_round_now(round_id)

    assert (report.added, report.failed) == (12, {})
    assert len(await reply_rows(store)) == 62
    assert await sink.harvest_cursor(round_id) is None


async def test_last_harvest_of_an_unknown_round_does_nothing(
    graph: MsGraph, store: SqlStore, sink: SqlReplySink, threads: ThreadRounds
) -> None:
    """A round that was never posted has no thread to read."""
    report = await ReplyHarvester(graph, sink, threads, DOMAINS).harvest_round_now(404)

    assert (report.rounds, report.pages) == (0, 0)


async def test_harvest_job_runs_every_fifteen_minutes_by_default(graph: MsGraph) -> None:
    """The job is an interval job, 15 minutes unless told otherwise, one run at a time."""
    harvester = ReplyHarvester(graph, InMemoryReplySink(), ThreadRounds(create_engine("sqlite+aiosqlite://")), DOMAINS)
    scheduler, other = AsyncIOScheduler(), AsyncIOScheduler()

    job = add_harvest_job(scheduler, harvester)
    quick = add_harvest_job(other, harvester, timedelta(minutes=5))

    assert isinstance(job.trigger, IntervalTrigger) and job.trigger.interval == DEFAULT_INTERVAL
    assert quick.trigger.interval == timedelta(minutes=5)
    assert (job.id, job.max_instances, job.coalesce) == (HARVEST_JOB_ID, 1, True)


def test_harvest_interval_must_be_positive() -> None:
    """A zero interval is refused at start-up."""
    with pytest.raises(ValueError, match="positive"):
        add_harvest_job(AsyncIOScheduler(), object(), timedelta(0))  # type: ignore[arg-type]


def test_without_azure_credentials_there_is_no_graph_and_the_log_says_so(caplog: pytest.LogCaptureFixture) -> None:
    """Demo mode without AZURE_* variables builds no Graph client; the harvest job is off and logged so."""
    scheduler = AsyncIOScheduler()

    graph = graph_if_configured({"DATABASE_URL": "sqlite+aiosqlite:///x.db"}, "https://graph.microsoft.com/v1.0")
    with caplog.at_level(logging.INFO, logger="scheduler.harvest"):
        job = schedule_harvest(scheduler, None)

    assert graph is None and job is None and scheduler.get_jobs() == []
    assert "harvest of thread replies is off" in caplog.text
    assert graph_configured({"AZURE_CLIENT_SECRET": "s"}) and not graph_configured({"AZURE_CLIENT_ID": "  "})


@pytest.mark.parametrize(("value", "minutes"), [("", 15), ("5", 5), ("2.5", 2.5)])
def test_harvest_interval_comes_from_the_environment(value: str, minutes: float) -> None:
    """RKKBOT_HARVEST_MINUTES sets the interval; unset means 15 minutes."""
    assert interval_from_env({"RKKBOT_HARVEST_MINUTES": value}) == timedelta(minutes=minutes)


@pytest.mark.parametrize("value", ["0", "vijf", "nan"])
def test_bad_harvest_interval_names_the_variable(value: str) -> None:
    """A bad interval fails at start-up with the variable's name."""
    with pytest.raises(SettingsError, match="RKKBOT_HARVEST_MINUTES"):
        interval_from_env({"RKKBOT_HARVEST_MINUTES": value})


def test_thread_ids_split_into_channel_and_root() -> None:
    """ "{channelId};messageid={rootId}" gives both parts; anything else gives nothing."""
    assert split_thread(f"{CHANNEL_ID};messageid={ROOT_ID}") == (CHANNEL_ID, ROOT_ID)
    assert split_thread(CHANNEL_ID) is None and split_thread(None) is None


async def test_two_replicas_harvest_once_per_interval(
    state: GraphState, graph: MsGraph, store: SqlStore, sink: SqlReplySink, threads: ThreadRounds, round_id: int
) -> None:
    """Each replica's job fires every interval, half an interval apart: only the lease holder reads the thread."""
    seed_replies(state, 3)
    moment = [POSTED_AT]
    leases = SqlLeases(store.engine)
    a, b = (
        ReplyHarvester(
            graph, sink, threads, DOMAINS, sink, harvest_turn(leases, name, lambda: moment[0], DEFAULT_INTERVAL)
        )
        for name in ("replica-a:1", "replica-b:2")
    )
    reads = []

    for replica in (a, b, a, b, a):  # fires at 0, 1/2, 1, 3/2 and 2 intervals
        await replica.run_job()
        reads.append(state.requests["replies"])
        moment[0] += DEFAULT_INTERVAL / 2

    assert reads == [1, 1, 2, 2, 3]  # replica B never reads: A holds the lease and renews it
    assert sorted(await reply_rows(store)) == ["r000", "r001", "r002"]


async def test_replica_takes_over_the_harvest_when_the_holder_is_gone(
    state: GraphState, graph: MsGraph, store: SqlStore, sink: SqlReplySink, threads: ThreadRounds, round_id: int
) -> None:
    """A lease whose holder stopped harvesting runs out after one interval; another replica carries on."""
    leases = SqlLeases(store.engine)
    assert await leases.lease(HARVEST_LEASE, "gone:1", POSTED_AT, DEFAULT_INTERVAL.total_seconds())
    moment = [POSTED_AT + DEFAULT_INTERVAL / 3]
    survivor = ReplyHarvester(
        graph, sink, threads, DOMAINS, sink, harvest_turn(leases, "replica-b:2", lambda: moment[0], DEFAULT_INTERVAL)
    )

    await survivor.run_job()
    before = state.requests["replies"]
    moment[0] = POSTED_AT + DEFAULT_INTERVAL + timedelta(seconds=1)
    await survivor.run_job()

    assert (before, state.requests["replies"]) == (0, 1)
