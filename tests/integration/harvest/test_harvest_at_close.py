"""Closing a round reads its thread once more, so a reply written just before closing is in the final count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.graph.adapter import MsGraph
from config.rkk_config import load_config
from rkk.model import ChannelTarget
from rkk.store.answers.replies import SqlReplySink
from rkk.store.rounds.sql_store import SqlStore
from rkk.store.rounds.threads import ThreadRounds
from scheduler.harvest import ReplyHarvester
from scheduler.weekly import WeeklyPoster
from tests.doubles.graph_double import GraphState
from tests.integration.graph.conftest import DOMAINS, THREAD
from tests.integration.harvest.conftest import CHANNEL_ID, TEAMS_ID, reply_rows
from tests.integration.rounds.conftest import EXAMPLE
from tests.unit.rounds.fakes import FakeTeams

pytestmark = pytest.mark.filterwarnings("ignore:This class is deprecated:DeprecationWarning")

CLOSES = datetime(2026, 11, 27, 11, 0, tzinfo=UTC)  # Kempen closes Friday 12:00 Brussels (the example config)


async def test_reply_written_a_minute_before_closing_counts_in_the_closed_card(
    state: GraphState, graph: MsGraph, store: SqlStore, sink: SqlReplySink, threads: ThreadRounds, round_id: int
) -> None:
    """No periodic harvest saw the late reply; the close reads the thread first and the card shows 1 answer."""
    await store.set_rkk_target("kempen", ChannelTarget("http://127.0.0.1:9/", "tenant", TEAMS_ID, CHANNEL_ID))
    state.add_reply(
        THREAD, "late-1", user_id="aad-an", html="<p>MFA voor iedereen</p>", created=CLOSES - timedelta(minutes=1)
    )
    teams = FakeTeams()
    harvester = ReplyHarvester(graph, sink, threads, DOMAINS, sink)
    poster = WeeklyPoster(
        store, teams, load_config(EXAMPLE), lambda: CLOSES, messenger=teams, before_close=harvester.harvest_round_now
    )

    await poster.step()

    assert [(key, rid, count) for key, rid, count in teams.closed] == [("kempen", round_id, 1)]
    assert list(await reply_rows(store)) == ["late-1"]
    assert (await store.round_facts(round_id)).final_count == 1  # type: ignore[union-attr]


async def test_close_without_graph_counts_what_is_stored(state: GraphState, store: SqlStore, round_id: int) -> None:
    """Without Graph (demo mode) the round closes with the answers the bot received itself."""
    await store.set_rkk_target("kempen", ChannelTarget("http://127.0.0.1:9/", "tenant", TEAMS_ID, CHANNEL_ID))
    state.add_reply(THREAD, "late-1", user_id="aad-an", html="<p>MFA</p>", created=CLOSES - timedelta(minutes=1))
    teams = FakeTeams()

    await WeeklyPoster(store, teams, load_config(EXAMPLE), lambda: CLOSES, messenger=teams).step()

    assert [(key, count) for key, _, count in teams.closed] == [("kempen", 0)]
