"""Harvesting thread replies through msgraph-sdk from the Graph double into the reply sink."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.graph.adapter import MsGraph, connect_graph
from bot.graph.client import StaticTokenCredential
from bot.graph.harvest import OpenRound, harvest
from tests.doubles.graph_double import GraphDouble, GraphState, TeamsLimits
from tests.doubles.reply_sink import InMemoryReplySink
from tests.integration.graph.conftest import CHANNEL_ID, DOMAINS, ROOT_ID, TEAM_ID, THREAD

# msgraph-sdk's generated request builders warn about their own deprecated classes when first used.
pytestmark = pytest.mark.filterwarnings("ignore:This class is deprecated:DeprecationWarning")

ROUND = OpenRound(7, TEAM_ID, CHANNEL_ID, ROOT_ID)
LATER = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def first_page_requests(state: GraphState) -> int:
    """How often the first page of replies was asked for."""
    return sum(1 for method, target, _ in state.log if "/replies" in target and "skiptoken" not in target)


def seed_replies(state: GraphState, count: int, user_id: str = "aad-an") -> None:
    """`count` replies by one member."""
    for n in range(count):
        state.add_reply(THREAD, f"r{n:03d}", user_id=user_id, html=f"<p>Antwoord {n}</p>")


@pytest.mark.asyncio
async def test_three_pages_are_read_through_throttling_in_between(
    state: GraphState, graph: MsGraph, sink: InMemoryReplySink
) -> None:
    """120 replies on three pages all arrive although page 2 is throttled and page 3 answers 503 once."""
    seed_replies(state, 120)
    state.inject(429, "skiptoken=b2Zmc2V0PTUw", retry_after=0.2)
    state.inject(503, "skiptoken=b2Zmc2V0PTEwMA")

    report = await harvest(graph, sink, [ROUND], DOMAINS)

    assert (report.pages, report.added, report.failed) == (3, 120, {})
    assert len(sink.visible(7)) == 120
    assert state.statuses[429] == 1 and state.statuses[503] == 1


@pytest.mark.asyncio
async def test_edited_reply_updates_its_answer(state: GraphState, graph: MsGraph, sink: InMemoryReplySink) -> None:
    """A reply edited after the first harvest replaces the stored text on the next one."""
    seed_replies(state, 2)
    await harvest(graph, sink, [ROUND], DOMAINS)
    state.edit_reply(THREAD, "r001", "<p>Toch liever <b>MAGDA</b></p>", LATER)

    report = await harvest(graph, sink, [ROUND], DOMAINS)

    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)
    assert sink.visible(7)["r001"].text == "Toch liever MAGDA"


@pytest.mark.asyncio
async def test_deleted_reply_hides_its_answer(state: GraphState, graph: MsGraph, sink: InMemoryReplySink) -> None:
    """A reply deleted after the first harvest is hidden, not stored again."""
    seed_replies(state, 2)
    await harvest(graph, sink, [ROUND], DOMAINS)
    state.delete_reply(THREAD, "r000", LATER)

    report = await harvest(graph, sink, [ROUND], DOMAINS)

    assert report.hidden == 1
    assert set(sink.visible(7)) == {"r001"}


@pytest.mark.asyncio
async def test_bots_own_and_system_messages_are_skipped(
    state: GraphState, graph: MsGraph, sink: InMemoryReplySink
) -> None:
    """Only people's replies become answers."""
    state.add_reply(THREAD, "bot", application=True, html="<p>Herinnering: antwoord nog deze week</p>")
    state.add_reply(THREAD, "sys", system=True)
    state.add_reply(THREAD, "an", user_id="aad-an", html="<p>Wij gebruiken Teams</p>")

    report = await harvest(graph, sink, [ROUND], DOMAINS)

    assert (report.added, report.skipped) == (1, 2)
    assert set(sink.visible(7)) == {"an"}


@pytest.mark.asyncio
async def test_reply_html_is_stored_as_clean_text(state: GraphState, graph: MsGraph, sink: InMemoryReplySink) -> None:
    """Mentions, links and emoji stay readable; tags and entities do not leak into the answer."""
    state.add_reply(
        THREAD,
        "r",
        user_id="aad-an",
        html=(
            '<p><at id="0">Jan Janssens</at> zie <a href="https://magda.be">de site</a> '
            '<emoji id="like" alt="👍" title="Like"></emoji> &amp; groet</p>'
        ),
    )

    await harvest(graph, sink, [ROUND], DOMAINS)

    assert sink.visible(7)["r"].text == "@Jan Janssens zie de site (https://magda.be) 👍 & groet"


@pytest.mark.asyncio
async def test_member_bestuur_comes_from_mail_domain(
    state: GraphState, graph: MsGraph, sink: InMemoryReplySink
) -> None:
    """A member of the tenant gets the bestuur of their mail domain, and their Graph display name."""
    seed_replies(state, 1, user_id="aad-jan")

    await harvest(graph, sink, [ROUND], DOMAINS)

    stored = sink.visible(7)["r000"]
    assert (stored.member_aad_id, stored.member_name, stored.bestuur) == ("aad-jan", "Jan Janssens", "OCMW Geel")


@pytest.mark.asyncio
async def test_guest_bestuur_comes_from_their_mail(state: GraphState, graph: MsGraph, sink: InMemoryReplySink) -> None:
    """A guest from another tenant (#EXT# principal name) is placed by their real mail address."""
    seed_replies(state, 1, user_id="aad-bob")

    await harvest(graph, sink, [ROUND], DOMAINS)

    assert sink.visible(7)["r000"].bestuur == "Gemeente Mol"


@pytest.mark.asyncio
async def test_guest_without_mail_is_placed_by_ext_principal_name(
    state: GraphState, graph: MsGraph, sink: InMemoryReplySink
) -> None:
    """Without a mail address the domain inside `name_domain#EXT#@tenant` decides."""
    state.add_user("aad-eva", "Eva", None, upn="eva_brasschaat.be#EXT#@victor.onmicrosoft.com")
    state.users["aad-eva"]["userType"] = "Guest"
    seed_replies(state, 1, user_id="aad-eva")

    await harvest(graph, sink, [ROUND], DOMAINS)

    assert sink.visible(7)["r000"].bestuur == "Gemeente Brasschaat"


@pytest.mark.asyncio
async def test_unknown_domain_gives_unknown_bestuur(state: GraphState, graph: MsGraph, sink: InMemoryReplySink) -> None:
    """A mail domain missing from the config's map yields "onbekend"."""
    state.add_user("aad-x", "Xavier", "x@elders.example")
    seed_replies(state, 1, user_id="aad-x")

    await harvest(graph, sink, [ROUND], DOMAINS)

    assert sink.visible(7)["r000"].bestuur == "onbekend"


@pytest.mark.asyncio
async def test_next_link_failing_once_resumes_on_the_next_run(
    state: GraphState, graph: MsGraph, sink: InMemoryReplySink
) -> None:
    """A harvest stopped by a failing next link resumes there next time: nothing lost, nothing read twice."""
    seed_replies(state, 120)
    state.inject(500, "skiptoken=b2Zmc2V0PTUw")

    first = await harvest(graph, sink, [ROUND], DOMAINS)
    second = await harvest(graph, sink, [ROUND], DOMAINS)

    assert (first.added, list(first.failed)) == (50, [7])
    assert (second.added, second.pages, second.failed) == (70, 2, {})
    assert first_page_requests(state) == 1
    assert sink.writes["upsert"] == 120 and sink.cursors == {}


@pytest.mark.asyncio
async def test_stale_cursor_restarts_from_the_first_page(
    state: GraphState, graph: MsGraph, sink: InMemoryReplySink
) -> None:
    """A stored next link Graph refuses (expired skip token) makes the harvest start over instead of failing."""
    seed_replies(state, 3)
    await sink.set_harvest_cursor(
        7,
        f"{graph._client.request_adapter.base_url}/teams/{TEAM_ID}/channels/"
        f"{CHANNEL_ID}/messages/{ROOT_ID}/replies?$top=50&$skiptoken=bogus",
    )

    report = await harvest(graph, sink, [ROUND], DOMAINS)

    assert (report.added, report.failed) == (3, {})


@pytest.mark.asyncio
async def test_reply_received_directly_is_not_duplicated(
    state: GraphState, graph: MsGraph, sink: InMemoryReplySink
) -> None:
    """A reply the bot already stored on receipt (RSC) is found unchanged by the harvest."""
    reply = state.add_reply(THREAD, "r", user_id="aad-an", html="<p>Snel antwoord</p>")
    created = datetime.fromisoformat(reply["createdDateTime"])
    await sink.upsert_reply(7, "r", "aad-an", "An Peeters", "Gemeente Brasschaat", "Snel antwoord", created, created)

    report = await harvest(graph, sink, [ROUND], DOMAINS)

    assert (report.added, report.unchanged) == (0, 1)
    assert len(sink.answers) == 1


@pytest.mark.asyncio
async def test_missing_root_message_fails_only_its_round(
    state: GraphState, graph: MsGraph, sink: InMemoryReplySink
) -> None:
    """A round whose question was deleted is reported; the other rounds are harvested."""
    seed_replies(state, 2)

    report = await harvest(graph, sink, [ROUND, OpenRound(8, TEAM_ID, CHANNEL_ID, "404")], DOMAINS)

    assert (report.added, list(report.failed)) == (2, [8])


@pytest.mark.asyncio
async def test_harvest_paced_to_teams_limits_is_never_throttled(
    state: GraphState, double: GraphDouble, sink: InMemoryReplySink
) -> None:
    """With the double enforcing Graph's Teams limits, the default pacing stays under them."""
    state.limits = TeamsLimits()
    seed_replies(state, 300)
    graph = connect_graph(StaticTokenCredential(), double.base_url)
    try:
        report = await harvest(graph, sink, [ROUND], DOMAINS)
    finally:
        await graph.close()

    assert (report.added, state.statuses[429]) == (300, 0)
