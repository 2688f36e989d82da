"""The Graph adapter over real HTTP: lookups, paging, batching, retries and named errors."""

from __future__ import annotations

import asyncio

import pytest

from bot.graph.adapter import MsGraph, connect_graph
from bot.graph.client import StaticTokenCredential
from bot.graph.errors import GraphForbidden, GraphNotFound, GraphThrottled, GraphUnavailable
from bot.graph.model import MembershipType
from tests.doubles.graph_double import GraphDouble, GraphState
from tests.integration.graph.conftest import FAST, TEAM_ID, THREAD

# msgraph-sdk's generated request builders warn about their own deprecated classes when first used.
pytestmark = pytest.mark.filterwarnings("ignore:This class is deprecated:DeprecationWarning")


@pytest.mark.asyncio
async def test_team_is_found_by_id_or_display_name(graph: MsGraph) -> None:
    """Both the group id and the exact display name resolve the team."""
    assert (await graph.team(TEAM_ID)).display_name == "RKK Kempen"
    assert (await graph.team("RKK Kempen")).id == TEAM_ID


@pytest.mark.asyncio
async def test_unknown_team_raises_graph_not_found(graph: MsGraph) -> None:
    """404 from Graph becomes GraphNotFound."""
    with pytest.raises(GraphNotFound):
        await graph.team("00000000-0000-0000-0000-000000000000")


@pytest.mark.asyncio
async def test_channels_carry_their_membership_type(graph: MsGraph) -> None:
    """Standard and private channels are told apart."""
    kinds = {c.display_name: c.membership for c in await graph.channels(TEAM_ID)}

    assert kinds == {
        "General": MembershipType.STANDARD,
        "Vraag van de week": MembershipType.STANDARD,
        "Kernteam": MembershipType.PRIVATE,
    }


@pytest.mark.asyncio
async def test_owners_are_listed_across_pages(state: GraphState, graph: MsGraph) -> None:
    """Owners are filtered by role and every members page is followed."""
    state.add_member(TEAM_ID, "aad-jan", owner=True)
    state.members_page_size = 1

    owners = await graph.owners(TEAM_ID)

    assert [o.user_id for o in owners] == ["aad-an", "aad-jan"]


@pytest.mark.asyncio
async def test_replies_come_fifty_a_page(state: GraphState, graph: MsGraph) -> None:
    """Replies are read with $top=50 and the next links are followed to the end."""
    for n in range(101):
        state.add_reply(THREAD, f"r{n}", user_id="aad-an", text=f"a{n}")

    sizes = [len(page.replies) async for page in graph.reply_pages(*THREAD)]

    assert sizes == [50, 50, 1]


@pytest.mark.asyncio
async def test_users_are_batched_twenty_at_a_time_and_cached(state: GraphState, graph: MsGraph) -> None:
    """45 lookups take three $batch calls; asking again takes none; unknown ids are left out."""
    ids = [f"u{n}" for n in range(44)]
    for user_id in ids:
        state.add_user(user_id, user_id, f"{user_id}@mol.be")

    found = await graph.users([*ids, "nobody"])
    again = await graph.users(ids[:5])

    assert len(found) == 44 and len(again) == 5
    assert state.requests["$batch"] == 3


@pytest.mark.asyncio
async def test_batch_item_answered_429_is_retried_after_its_retry_after(state: GraphState, graph: MsGraph) -> None:
    """Only the throttled item is sent again, in a second batch, and then found."""
    state.fail_batch_item("/users/aad-bob", 429, retry_after=0.2)

    found = await graph.users(["aad-an", "aad-bob"])

    assert set(found) == {"aad-an", "aad-bob"}
    assert found["aad-bob"].user_type == "Guest"
    assert state.requests["$batch"] == 2
    assert state.requests["user"] == 2  # aad-an once; aad-bob once, after the throttled attempt


@pytest.mark.asyncio
async def test_batch_item_throttled_every_time_raises_graph_throttled(state: GraphState, double: GraphDouble) -> None:
    """A lookup that stays throttled inside the batch ends in GraphThrottled, not in a missing user."""
    state.fail_batch_item("/users/aad-bob", 429, retry_after=0.01, times=50)
    graph = connect_graph(StaticTokenCredential(), double.base_url, retry=FAST)
    graph._users._attempts = 3
    try:
        with pytest.raises(GraphThrottled):
            await graph.users(["aad-bob"])
    finally:
        await graph.close()


@pytest.mark.asyncio
async def test_throttling_without_retry_after_backs_off_and_succeeds(state: GraphState, graph: MsGraph) -> None:
    """429 without Retry-After twice is retried with backoff."""
    state.inject(429, "/channels", times=2)

    assert len(await graph.channels(TEAM_ID)) == 3
    assert state.statuses[429] == 2


@pytest.mark.asyncio
async def test_persistent_throttling_raises_graph_throttled(state: GraphState, graph: MsGraph) -> None:
    """Once the retries are spent, a 429 becomes GraphThrottled with Graph's last advice."""
    state.inject(429, "/channels", retry_after=0.01, times=10)

    with pytest.raises(GraphThrottled) as caught:
        await graph.channels(TEAM_ID)

    assert caught.value.retry_after == pytest.approx(0.01)


@pytest.mark.asyncio
async def test_slow_answer_times_out_and_is_retried(state: GraphState, double: GraphDouble) -> None:
    """An answer slower than the client timeout is abandoned and asked again."""
    state.inject(0, "/channels", delay=1.0)
    graph = connect_graph(StaticTokenCredential(), double.base_url, timeout=0.3, retry=FAST)
    try:
        assert len(await graph.channels(TEAM_ID)) == 3
    finally:
        await graph.close()
    assert state.requests["channels"] == 1  # the slow request never reached the resource


@pytest.mark.asyncio
async def test_service_unavailable_every_time_raises_graph_unavailable(state: GraphState, graph: MsGraph) -> None:
    """503 on every attempt becomes GraphUnavailable."""
    state.inject(503, "/channels", times=10)

    with pytest.raises(GraphUnavailable):
        await graph.channels(TEAM_ID)


@pytest.mark.asyncio
async def test_refused_token_raises_graph_forbidden(state: GraphState, double: GraphDouble) -> None:
    """A token Graph does not accept (401) becomes GraphForbidden, without retries."""
    state.tokens = {"the-real-token"}
    graph = connect_graph(StaticTokenCredential("stolen"), double.base_url, retry=FAST)
    try:
        with pytest.raises(GraphForbidden):
            await graph.team(TEAM_ID)
    finally:
        await graph.close()
    assert state.statuses[401] == 1


@pytest.mark.asyncio
async def test_cancellation_is_not_swallowed(state: GraphState, graph: MsGraph) -> None:
    """Cancelling a harvest in the middle of a slow call cancels it."""
    state.inject(0, "/replies", delay=5.0)
    state.add_reply(THREAD, "r", user_id="aad-an", text="x")

    async def read() -> None:
        async for _ in graph.reply_pages(*THREAD):
            pass

    task = asyncio.create_task(read())
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
