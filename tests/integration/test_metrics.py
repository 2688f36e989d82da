"""The metrics at their choke points: Bot Connector posts, Graph calls, scheduler jobs, each on its own registry."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from bot.graph.adapter import connect_graph
from bot.graph.client import StaticTokenCredential
from bot.graph.errors import GraphNotFound
from bot.graph.pacing import GraphLimits
from bot.outbound.connector import Connector, text_activity
from bot.outbound.pacing import Pacer
from bot.outbound.retry import ConnectorError, RetryPolicy
from observability.jobs import watch_jobs
from observability.metrics import Metrics
from rkk.model import ChannelTarget
from tests.doubles.connector_double import ConnectorDouble, Faults, serve
from tests.doubles.graph_double import GraphState, running_graph_double
from tests.faults.worker import TENANT, _NoAuth
from tests.integration.graph.conftest import FAST, TEAM_ID

pytestmark = pytest.mark.filterwarnings("ignore:This class is deprecated:DeprecationWarning")
QUICK = RetryPolicy(attempts=3, base=0.01, cap=0.05, rng=random.Random(3))


def value(metrics: Metrics, name: str, **labels: str) -> float:
    """One series' value in this registry (0 when it does not exist)."""
    return metrics.registry.get_sample_value(name, labels) or 0.0


@asynccontextmanager
async def teams(faults: Faults) -> AsyncIterator[tuple[Connector, ChannelTarget, Metrics]]:
    """The production Connector, counting on a registry of its own, on the Bot Connector double."""
    runner, port = await serve(ConnectorDouble(faults), 0)
    metrics = Metrics()
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(_NoAuth()))
    connector = Connector(adapter, "", Pacer(), QUICK, timeout=5, metrics=metrics)
    target = ChannelTarget(f"http://127.0.0.1:{port}/", TENANT, "19:team@thread.tacv2", "19:team@thread.tacv2")
    try:
        yield connector, target, metrics
    finally:
        await connector.close()
        await runner.cleanup()


async def test_a_post_teams_takes_counts_as_sent() -> None:
    """A new thread Teams accepts counts once as sent for kind "thread"."""
    async with teams(Faults()) as (connector, target, metrics):
        await connector.create_thread(target, text_activity("Hallo"))
    assert value(metrics, "rkkbot_posts_total", kind="thread", outcome="sent") == 1
    assert value(metrics, "rkkbot_posts_throttled_total", kind="thread") == 0


async def test_a_message_teams_keeps_throttling_counts_each_429_and_one_failure() -> None:
    """Every 429 counts as throttled for kind "message", and the message that gave up once as failed."""
    async with teams(Faults(throttle=1.0, retry_after=0.02)) as (connector, target, metrics):
        with pytest.raises(ConnectorError):
            await connector.send(target.service_url, target.channel_id, text_activity("Hallo"))
    assert value(metrics, "rkkbot_posts_throttled_total", kind="message") == QUICK.attempts
    assert value(metrics, "rkkbot_posts_total", kind="message", outcome="failed") == 1
    assert value(metrics, "rkkbot_posts_total", kind="message", outcome="sent") == 0


async def test_graph_calls_count_their_outcome_and_each_throttle() -> None:
    """A Graph call throttled twice then answered counts two throttles and one "ok"; a 404 counts by its error."""
    state = GraphState()
    state.add_team(TEAM_ID, "RKK Kempen")
    state.inject(429, "/channels", retry_after=0.01, times=2)
    metrics = Metrics()
    async with running_graph_double(state) as double:
        limits = GraphLimits(messages_per_tenant=1000, teams_per_tenant=1000, per_team=1000)
        graph = connect_graph(StaticTokenCredential(), double.base_url, retry=FAST, limits=limits, metrics=metrics)
        try:
            await graph.channels(TEAM_ID)
            assert value(metrics, "rkkbot_graph_throttled_total") == 2
            assert value(metrics, "rkkbot_graph_requests_total", outcome="ok") == 1
            with pytest.raises(GraphNotFound):  # GET /teams/{id} answers 404, then no team has that name
                await graph.team("00000000-0000-0000-0000-000000000000")
        finally:
            await graph.close()
    assert value(metrics, "rkkbot_graph_requests_total", outcome="GraphNotFound") == 1


async def test_every_job_run_is_counted_timed_and_dated() -> None:
    """A job that succeeds and one that fails both count, with a duration, and only success sets the date."""
    metrics, moment = Metrics(), datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    scheduler = AsyncIOScheduler(timezone="Europe/Brussels")
    watch_jobs(scheduler, metrics, clock=lambda: moment)
    ended: list[str] = []
    both = asyncio.Event()

    def on_end(event: JobExecutionEvent) -> None:  # registered after watch_jobs: called after it
        ended.append(event.job_id)
        if len(ended) == 2:
            both.set()

    async def fine() -> None:
        await asyncio.sleep(0.05)

    async def broken() -> None:
        raise RuntimeError("Graph is down")

    scheduler.add_listener(on_end, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    scheduler.add_job(fine, id="weekly-post-1")
    scheduler.add_job(broken, id="harvest-replies")
    scheduler.start()
    await asyncio.wait_for(both.wait(), 5)
    scheduler.shutdown(wait=False)
    assert value(metrics, "rkkbot_job_runs_total", job="weekly-post", outcome="success") == 1
    assert value(metrics, "rkkbot_job_runs_total", job="harvest-replies", outcome="error") == 1
    assert value(metrics, "rkkbot_job_duration_seconds_sum", job="weekly-post") >= 0.05
    assert value(metrics, "rkkbot_job_last_success_timestamp_seconds", job="weekly-post") == moment.timestamp()
    assert value(metrics, "rkkbot_job_last_success_timestamp_seconds", job="harvest-replies") == 0


def test_a_strangers_activity_type_counts_as_other() -> None:
    """An activity type Teams does not send is counted as "other", so strangers cannot add series."""
    metrics = Metrics()
    metrics.activity("x" * 40, 400)
    metrics.activity("message", 200)
    assert value(metrics, "rkkbot_activities_received_total", type="other", outcome="400") == 1
    assert value(metrics, "rkkbot_activities_received_total", type="message", outcome="200") == 1


def test_two_runtimes_count_on_their_own_registries() -> None:
    """Metrics of one runtime never show in another's (no global registry)."""
    first, second = Metrics(), Metrics()
    first.answer_stored("card", "added")
    assert value(first, "rkkbot_answers_stored_total", source="card", change="added") == 1
    assert value(second, "rkkbot_answers_stored_total", source="card", change="added") == 0
