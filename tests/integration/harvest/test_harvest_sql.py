"""Harvesting thread replies from the Graph double into the real SQL store (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.graph.adapter import MsGraph
from bot.graph.harvest import OpenRound, harvest
from rkk.model import Member
from rkk.store.answers.replies import SqlReplySink
from rkk.store.rounds.sql_store import SqlStore
from rkk.store.tables import members
from tests.doubles.graph_double import GraphState
from tests.integration.graph.conftest import DOMAINS
from tests.integration.harvest.conftest import CHANNEL_ID, ROOT_ID, TEAM_ID, reply_rows, seed_replies

pytestmark = pytest.mark.filterwarnings("ignore:This class is deprecated:DeprecationWarning")

THREAD = (TEAM_ID, CHANNEL_ID, ROOT_ID)
LATER = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def open_round(round_id: int) -> OpenRound:
    """The seeded round as the harvest sees it."""
    return OpenRound(round_id, TEAM_ID, CHANNEL_ID, ROOT_ID)


async def test_three_throttled_pages_become_one_answer_per_reply(
    state: GraphState, graph: MsGraph, store: SqlStore, sink: SqlReplySink, round_id: int
) -> None:
    """120 replies on three pages, page 2 throttled and page 3 failing once, are stored once each."""
    seed_replies(state, 120)
    state.inject(429, "skiptoken=b2Zmc2V0PTUw", retry_after=0.2)
    state.inject(503, "skiptoken=b2Zmc2V0PTEwMA")

    report = await harvest(graph, sink, [open_round(round_id)], DOMAINS)
    again = await harvest(graph, sink, [open_round(round_id)], DOMAINS)

    rows = await reply_rows(store)
    assert (report.pages, report.added, report.failed) == (3, 120, {})
    assert (again.added, again.unchanged) == (0, 120)
    assert len(rows) == 120 and rows["r007"].text == "Antwoord 7"
    assert {row.member_id for row in rows.values()} == {"aad-an"}
    assert await store.count_answers(round_id) == 120


async def test_edited_reply_replaces_the_stored_text(
    state: GraphState, graph: MsGraph, store: SqlStore, sink: SqlReplySink, round_id: int
) -> None:
    """A later lastModifiedDateTime updates the answer in place."""
    seed_replies(state, 2)
    await harvest(graph, sink, [open_round(round_id)], DOMAINS)
    state.edit_reply(THREAD, "r001", "<p>Toch liever <b>MAGDA</b></p>", LATER)

    report = await harvest(graph, sink, [open_round(round_id)], DOMAINS)

    rows = await reply_rows(store)
    assert (report.updated, report.unchanged) == (1, 1)
    assert rows["r001"].text == "Toch liever MAGDA" and len(rows) == 2


async def test_deleted_reply_is_hidden(
    state: GraphState, graph: MsGraph, store: SqlStore, sink: SqlReplySink, round_id: int
) -> None:
    """A deleted reply hides its answer; it no longer counts."""
    seed_replies(state, 2)
    await harvest(graph, sink, [open_round(round_id)], DOMAINS)
    state.delete_reply(THREAD, "r000", LATER)

    report = await harvest(graph, sink, [open_round(round_id)], DOMAINS)

    rows = await reply_rows(store)
    assert report.hidden == 1
    assert rows["r000"].hidden and not rows["r001"].hidden
    assert await store.count_answers(round_id) == 1


async def test_guest_and_unknown_domain_get_their_bestuur_and_a_member_row(
    state: GraphState, graph: MsGraph, store: SqlStore, sink: SqlReplySink, round_id: int
) -> None:
    """A guest is placed by their home mail; a domain not in the map is "onbekend"; both become members."""
    state.add_user("aad-x", "Xavier", "x@elders.example")
    state.add_reply(THREAD, "guest", user_id="aad-bob", html="<p>Bij ons ook</p>")
    state.add_reply(THREAD, "other", user_id="aad-x", html="<p>Wij niet</p>")

    await harvest(graph, sink, [open_round(round_id)], DOMAINS)

    rows = await reply_rows(store)
    assert (rows["guest"].bestuur, rows["other"].bestuur) == ("Gemeente Mol", "onbekend")
    async with store.engine.connect() as conn:
        stored = {row.aad_object_id: row for row in (await conn.execute(select(members))).all()}
    assert (stored["aad-bob"].name, stored["aad-bob"].bestuur) == ("Bob De Gast", "Gemeente Mol")
    assert stored["aad-x"].bestuur == "onbekend"


async def test_bots_own_and_system_messages_are_not_stored(
    state: GraphState, graph: MsGraph, store: SqlStore, sink: SqlReplySink, round_id: int
) -> None:
    """Only people's replies become answers."""
    state.add_reply(THREAD, "bot", application=True, html="<p>Herinnering</p>")
    state.add_reply(THREAD, "sys", system=True)
    state.add_reply(THREAD, "an", user_id="aad-an", html="<p>Wij gebruiken Teams</p>")

    report = await harvest(graph, sink, [open_round(round_id)], DOMAINS)

    assert (report.added, report.skipped) == (1, 2)
    assert set(await reply_rows(store)) == {"an"}


async def test_replies_and_a_card_answer_of_one_member_are_separate_answers(
    state: GraphState, graph: MsGraph, store: SqlStore, sink: SqlReplySink, round_id: int
) -> None:
    """The card answer is untouched; each reply of the same member is an answer of its own."""
    member = Member("aad-an", "An Peeters", "an.peeters@brasschaat.be", "Gemeente Brasschaat")
    await store.save_card_answer(round_id, member, "Via de kaart", LATER)
    seed_replies(state, 3)

    await harvest(graph, sink, [open_round(round_id)], DOMAINS)

    card = await store.card_answer(round_id, "aad-an")
    assert card is not None and card.text == "Via de kaart"
    assert await store.count_answers(round_id) == 4


async def test_unknown_bestuur_does_not_erase_a_known_one(store: SqlStore, sink: SqlReplySink, round_id: int) -> None:
    """A reply whose user lookup failed keeps the member's known bestuur."""
    member = Member("aad-an", "An Peeters", "an.peeters@brasschaat.be", "Gemeente Brasschaat")
    await store.save_card_answer(round_id, member, "Via de kaart", LATER)

    outcome = await sink.upsert_reply(round_id, "m1", "aad-an", "An", "onbekend", "Tekst", LATER, LATER)

    assert outcome == "added"
    assert (await reply_rows(store))["m1"].bestuur == "Gemeente Brasschaat"


async def test_older_or_equal_modification_leaves_the_answer_and_hidden_one_returns(
    store: SqlStore, sink: SqlReplySink, round_id: int
) -> None:
    """Only a newer modification updates; an answer hidden by deletion comes back when upserted again."""
    await sink.upsert_reply(round_id, "m1", "aad-an", "An", "Gemeente Mol", "Eerst", LATER, LATER)
    same = await sink.upsert_reply(round_id, "m1", "aad-an", "An", "Gemeente Mol", "Oud", LATER, LATER)
    hidden = await sink.hide_reply(round_id, "m1")
    back = await sink.upsert_reply(round_id, "m1", "aad-an", "An", "Gemeente Mol", "Terug", LATER, LATER)

    row = (await reply_rows(store))["m1"]
    assert (same, hidden, back) == ("unchanged", True, "updated")
    assert (row.text, row.hidden) == ("Terug", False)


async def test_interrupted_harvest_resumes_without_loss_or_duplicates(
    state: GraphState, graph: MsGraph, store: SqlStore, sink: SqlReplySink, round_id: int
) -> None:
    """A failing next link stops the harvest; the stored cursor resumes it there and is cleared at the end."""
    seed_replies(state, 120)
    state.inject(500, "skiptoken=b2Zmc2V0PTUw")

    first = await harvest(graph, sink, [open_round(round_id)], DOMAINS)
    cursor = await sink.harvest_cursor(round_id)
    second = await harvest(graph, sink, [open_round(round_id)], DOMAINS)

    first_pages = sum(1 for _, target, _ in state.log if "/replies" in target and "skiptoken" not in target)
    assert (first.added, list(first.failed)) == (50, [round_id])
    assert cursor is not None and "skiptoken" in cursor
    assert (second.added, second.unchanged, second.pages, second.failed) == (70, 0, 2, {})
    assert first_pages == 1
    assert len(await reply_rows(store)) == 120
    assert await sink.harvest_cursor(round_id) is None


async def test_cursor_survives_a_new_sink(store: SqlStore, sink: SqlReplySink, round_id: int) -> None:
    """The cursor is in the database, so a restarted bot (a new sink) resumes where the old one stopped."""
    await sink.set_harvest_cursor(round_id, "https://graph/next?1")
    await sink.set_harvest_cursor(round_id, "https://graph/next?2")

    assert await SqlReplySink(store.engine).harvest_cursor(round_id) == "https://graph/next?2"


async def test_concurrent_writers_of_one_reply_store_it_once(store: SqlStore, round_id: int) -> None:
    """The harvest of two replicas and the direct path racing on one message id leave one answer."""
    sinks = [SqlReplySink(store.engine) for _ in range(6)]

    outcomes = await asyncio.gather(
        *(
            sink.upsert_reply(round_id, "m1", "aad-an", "An", "Gemeente Mol", f"Tekst {n}", LATER, LATER)
            for n, sink in enumerate(sinks)
        )
    )

    assert sorted(outcomes).count("added") == 1 and set(outcomes) <= {"added", "unchanged"}
    assert len(await reply_rows(store)) == 1
