"""The weekly digest in RKK Overkoepelend: posted once a week across runs and replicas, retried after a failure."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.outbound.digest_publisher import TeamsDigestPublisher
from bot.outbound.retry import ConnectorError, OutcomeUnknown
from config.rkk_config import Digest
from i18n.catalog import Catalog
from rkk.insights import DigestOutcome
from rkk.store.crosspost import ThemeStore
from rkk.store.insights import InsightQueries, SqlDigestClaims
from rkk.store.rounds.sql_store import SqlStore
from scheduler.digest import DigestJob
from scheduler.weekly import config_pauses
from tests.doubles.teams import bot_config
from tests.integration.crosspost.conftest import UMBRELLA_CHANNEL, World
from tests.unit.crosspost.doubles import FakeConnector

BRUSSELS = ZoneInfo("Europe/Brussels")
MONDAY_EIGHT = Digest(0, time(8, 0))
BEFORE = datetime(2026, 11, 23, 6, 59, tzinfo=UTC)  # Monday 07:59 in Brussels
AFTER = datetime(2026, 11, 23, 7, 1, tzinfo=UTC)  # Monday 08:01
NEXT_WEEK = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@pytest.fixture
async def teams_world(store: SqlStore, texts: Catalog, now: datetime) -> World:
    """Four RKK teams and RKK Overkoepelend (channel "Rode draden") with the bot installed."""
    seeded = World(store, texts, now)
    await seeded.setup()
    return seeded


def job(world: World, connector: FakeConnector, texts: Catalog, clock: list[datetime], umbrella: str) -> DigestJob:
    """A digest job on the world's store, posting through a connector double, at the clock's moment."""
    engine = world.store.engine
    publisher = TeamsDigestPublisher(connector, texts)
    return DigestJob(
        MONDAY_EIGHT,
        BRUSSELS,
        (umbrella, "Rode draden"),
        (SqlDigestClaims(engine), publisher, InsightQueries(engine)),
        world.store.list_rkks,
        ThemeStore(engine).installed_teams,
        config_pauses(bot_config()),
        lambda: clock[0],
    )


async def test_digest_waits_for_its_moment_then_posts_once(teams_world: World, texts: Catalog) -> None:
    """Before Monday 08:00 nothing happens; after, one card in the umbrella channel, and later runs add none."""
    await teams_world.seed([("antwerpen", "Gemeente Brasschaat", "2026-W47", "MAGDA")])
    connector, clock = FakeConnector(), [BEFORE]
    digest = job(teams_world, connector, texts, clock, "RKK Overkoepelend")
    assert await digest.run() is DigestOutcome.NOT_DUE
    clock[0] = AFTER
    assert await digest.run() is DigestOutcome.POSTED
    assert await digest.run() is DigestOutcome.DONE
    [(target, activity)] = connector.threads
    assert target.channel_id == UMBRELLA_CHANNEL
    assert activity.attachments[0].content["body"][0]["text"] == "Rapport: alle RKK's"
    clock[0] = NEXT_WEEK
    assert await digest.run() is DigestOutcome.POSTED
    assert len(connector.threads) == 2


async def test_two_replicas_post_the_digest_once(teams_world: World, texts: Catalog) -> None:
    """Two jobs on the same database running at the same moment post one card between them."""
    connector, clock = FakeConnector(), [AFTER]
    first = job(teams_world, connector, texts, clock, "RKK Overkoepelend")
    second = job(teams_world, connector, texts, clock, "RKK Overkoepelend")
    outcomes = await asyncio.gather(first.run(), second.run())
    assert sorted(outcomes) == sorted([DigestOutcome.POSTED, DigestOutcome.DONE])
    assert len(connector.threads) == 1


async def test_a_failed_digest_is_tried_again(teams_world: World, texts: Catalog) -> None:
    """Teams refusing the post leaves the week open: the next run posts it."""
    connector, clock = FakeConnector(fail=[ConnectorError("HTTP 503")]), [AFTER]
    digest = job(teams_world, connector, texts, clock, "RKK Overkoepelend")
    assert await digest.run() is DigestOutcome.FAILED
    assert await digest.run() is DigestOutcome.POSTED
    assert len(connector.threads) == 1


async def test_an_uncertain_digest_is_never_sent_again(teams_world: World, texts: Catalog) -> None:
    """When Teams may have the card (the call died midway), no later run posts a second one."""
    connector, clock = FakeConnector(fail=[OutcomeUnknown("timeout")]), [AFTER]
    digest = job(teams_world, connector, texts, clock, "RKK Overkoepelend")
    assert await digest.run() is DigestOutcome.UNCERTAIN
    assert await digest.run() is DigestOutcome.DONE
    assert connector.threads == []


async def test_without_the_umbrella_team_nothing_is_claimed(store: SqlStore, texts: Catalog, now: datetime) -> None:
    """When the bot is not installed in RKK Overkoepelend the digest waits, and posts once it is."""
    world = World(store, texts, now)
    await world.setup(umbrella=False)
    connector, clock = FakeConnector(), [AFTER]
    digest = job(world, connector, texts, clock, "RKK Overkoepelend")
    assert await digest.run() is DigestOutcome.NO_UMBRELLA
    await world.install(
        "19:overkoepelend-general@thread.tacv2", "RKK Overkoepelend", ((UMBRELLA_CHANNEL, "Rode draden"),)
    )
    assert await digest.run() is DigestOutcome.POSTED
