"""Fixtures: the Graph double on a free port of 127.0.0.1, seeded with one RKK team, and MsGraph talking to it."""

from __future__ import annotations

import random
import warnings
from collections.abc import AsyncIterator

import pytest

with warnings.catch_warnings():
    # msgraph-sdk's generated request builders warn about their own deprecated classes when imported.
    warnings.simplefilter("ignore", DeprecationWarning)
    from bot.graph.adapter import MsGraph, connect_graph
    from bot.graph.client import StaticTokenCredential
    from bot.graph.pacing import GraphLimits
    from bot.graph.retry import RetryPolicy
    from tests.doubles.graph_double import GraphDouble, GraphState, running_graph_double
    from tests.doubles.reply_sink import InMemoryReplySink

TEAM_ID = "5f0c2d4e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
CHANNEL_ID = "19:vraag-van-de-week@thread.tacv2"
PRIVATE_ID = "19:kernteam@thread.tacv2"
ROOT_ID = "1763892000000"
THREAD = (TEAM_ID, CHANNEL_ID, ROOT_ID)
APP_ID = "a1b2c3d4-0000-4000-8000-00000000cafe"
DOMAINS = {"brasschaat.be": "Gemeente Brasschaat", "mol.be": "Gemeente Mol", "ocmw-geel.be": "OCMW Geel"}


FAST = RetryPolicy(attempts=4, base=0.02, cap=0.1, rng=random.Random(1))


@pytest.fixture
def state() -> GraphState:
    """A tenant with the Kempen RKK team, its question channel, a private channel, members and the bot's app."""
    state = GraphState()
    state.add_team(TEAM_ID, "RKK Kempen")
    state.add_channel(TEAM_ID, CHANNEL_ID, "Vraag van de week")
    state.add_channel(TEAM_ID, PRIVATE_ID, "Kernteam", membership="private")
    state.add_user("aad-an", "An Peeters", "an.peeters@brasschaat.be")
    state.add_user("aad-jan", "Jan Janssens", "jan@ocmw-geel.be")
    state.add_user("aad-bob", "Bob De Gast", "bob@mol.be", guest_of="victor.onmicrosoft.com")
    state.add_member(TEAM_ID, "aad-an", owner=True)
    state.add_member(TEAM_ID, "aad-jan")
    state.add_member(TEAM_ID, "aad-bob")
    state.add_catalog_app(APP_ID, "Vraag van de week", rsc=("ChannelMessage.Read.Group",))
    state.replies[THREAD] = []
    return state


@pytest.fixture
async def double(state: GraphState) -> AsyncIterator[GraphDouble]:
    """The double serving `state` over real HTTP."""
    async with running_graph_double(state) as running:
        yield running


@pytest.fixture
async def graph(double: GraphDouble) -> AsyncIterator[MsGraph]:
    """The real adapter (msgraph-sdk) on the double, with short retry waits."""
    adapter = connect_graph(
        StaticTokenCredential(),
        double.base_url,
        timeout=2.0,
        retry=FAST,
        limits=GraphLimits(messages_per_tenant=1000, teams_per_tenant=1000, per_team=1000),
    )
    yield adapter
    await adapter.close()


@pytest.fixture
def sink() -> InMemoryReplySink:
    """Answers harvested in memory."""
    return InMemoryReplySink()
