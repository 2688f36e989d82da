"""Kennismomenten with Microsoft Graph: the Teams meeting in the organiser's calendar, on the Graph double."""

from __future__ import annotations

import random
import warnings
from collections.abc import AsyncIterator
from typing import Any

import pytest

from i18n.catalog import Catalog
from rkk.meetings import MeetingState
from rkk.rounds.weeks import BRUSSELS
from rkk.store.rounds.sql_store import SqlStore
from tests.card_text import actions, inputs_of, strings
from tests.integration.crosspost.conftest import World, team_id
from tests.integration.meetings.conftest import FORM, GLOBAL, Kennis, kennis_world, with_rode_draad

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from bot.graph.adapter import connect_graph
    from bot.graph.calendar import GraphCalendar
    from bot.graph.client import StaticTokenCredential
    from bot.graph.pacing import GraphLimits
    from bot.graph.retry import RetryPolicy
    from tests.doubles.graph_double import GraphState, running_graph_double

pytestmark = pytest.mark.filterwarnings("ignore:This class is deprecated:DeprecationWarning")
ORGANIZER = "kennis@v-ict-or.be"


@pytest.fixture
def tenant() -> GraphState:
    """The organiser mailbox inside the access policy, and the coordinators with mail addresses."""
    state = GraphState()
    state.add_user("aad-kennis", "Kennismomenten", ORGANIZER)
    state.add_user("aad-global", "Griet Globaal", "griet@v-ict-or.be", upn="griet.g@victor.onmicrosoft.com")
    state.add_user("aad-kempen", "Koen Kempen", "koen@kempen.be")
    state.calendar.policy = {"aad-kennis"}
    return state


@pytest.fixture
async def kennis(store: SqlStore, texts: Catalog, now: Any, tenant: GraphState) -> AsyncIterator[Kennis]:
    """The world with Graph: the calendar creates Teams meetings in the organiser's mailbox."""
    async with running_graph_double(tenant) as double:
        graph = connect_graph(
            StaticTokenCredential(),
            double.base_url,
            timeout=2.0,
            retry=RetryPolicy(attempts=3, base=0.01, cap=0.05, rng=random.Random(2)),
            limits=GraphLimits(messages_per_tenant=1000, teams_per_tenant=1000, per_team=1000),
        )
        world = World(store, texts, now)
        await world.setup()
        yield await with_rode_draad(kennis_world(world, texts, GraphCalendar(graph, ORGANIZER, BRUSSELS, texts)))
        await graph.close()


async def plan(kennis: Kennis) -> Any:
    """Submit the form (no link: Graph makes the meeting)."""
    data = {"themeId": kennis.theme_key, **{k: v for k, v in FORM.items() if k != "link"}}
    return await kennis.press("meeting_plan", data, kennis.theme_conversation, GLOBAL)


async def test_the_form_asks_no_link_and_names_the_organiser(kennis: Kennis) -> None:
    """With Graph the bot makes the meeting: no link field, and the form says in whose calendar."""
    answer = await kennis.press("theme_plan", {"themeId": kennis.theme_key}, kennis.theme_conversation, GLOBAL)
    assert "link" not in inputs_of(answer.value)
    assert f"in de agenda van {ORGANIZER}" in strings(answer.value)


async def test_the_meeting_is_created_with_the_coordinators_invited_and_its_link_announced(
    kennis: Kennis, tenant: GraphState
) -> None:
    """One Teams meeting; invitees at their mail addresses; every card carries the event's joinUrl."""
    await plan(kennis)
    [event] = tenant.calendar.all_events()
    assert sorted(a["emailAddress"]["address"] for a in event["attendees"]) == ["griet@v-ict-or.be", "koen@kempen.be"]
    posted = kennis.announcements()
    assert len(posted) == 3
    for _, card in posted.values():
        [join] = [a for a in card["actions"] if a["type"] == "Action.OpenUrl"]
        assert join["url"] == event["onlineMeeting"]["joinUrl"]


async def test_a_missing_access_policy_is_told_in_dutch_and_nothing_is_announced(
    kennis: Kennis, tenant: GraphState
) -> None:
    """403: the form says what the administrator must do; no card, no decision; after the fix one meeting."""
    tenant.calendar.policy = set()
    answer = await plan(kennis)
    text = strings(answer.value)
    assert f"Microsoft Graph weigert de agenda van {ORGANIZER}" in text
    assert "Calendars.ReadWrite" in text and "Er is niets aangemaakt of aangekondigd." in text
    assert kennis.announcements() == {} and tenant.calendar.all_events() == []
    assert await kennis.world.themes.last_decision(kennis.theme_key) is None
    tenant.calendar.policy = {"aad-kennis"}
    await plan(kennis)
    assert len(tenant.calendar.all_events()) == 1 and len(kennis.announcements()) == 3


async def test_throttling_that_does_not_stop_is_told_and_nothing_is_announced(
    kennis: Kennis, tenant: GraphState
) -> None:
    """429 on every attempt: "try again in a few minutes", and no card."""
    tenant.inject(429, "/events", retry_after=0.01, times=10)
    answer = await plan(kennis)
    assert "Microsoft Graph krijgt even te veel verzoeken" in strings(answer.value)
    assert kennis.announcements() == {}


async def test_a_move_moves_the_event_and_every_card(kennis: Kennis, tenant: GraphState) -> None:
    """The coordinator moves from the card: Graph first, then the cards and a reply in each thread."""
    await plan(kennis)
    thread, card = kennis.announcements()[team_id("limburg")]
    meeting_id = actions(card, "meeting_rsvp")[0]["data"]["meetingId"]
    form = await kennis.press("meeting_move", {"meetingId": meeting_id}, thread, GLOBAL, team_id("limburg"))
    assert inputs_of(form.value) == {"date": "2026-12-03", "time": "14:00", "minutes": "90"}
    data = {"meetingId": meeting_id, "date": "2026-12-10", "time": "10:00", "minutes": "60"}
    moved = await kennis.press("meeting_move_submit", data, thread, GLOBAL, team_id("limburg"))
    assert "Verplaatst." in strings(moved.value)
    [event] = tenant.calendar.all_events()
    assert event["start"].isoformat() == "2026-12-10T09:00:00+00:00"
    replies = [a.text for _, a in kennis.world.connector.sent if a.text and "verplaatst naar" in a.text]
    assert len(replies) == 4 and "donderdag 10 december 2026 van 10:00 tot 11:00" in replies[0]


async def test_a_cancellation_withdraws_the_invitations(kennis: Kennis, tenant: GraphState) -> None:
    """Graph's cancel goes out with a Dutch comment; the meeting is cancelled."""
    await plan(kennis)
    thread, card = kennis.announcements()[team_id("kempen")]
    meeting_id = actions(card, "meeting_rsvp")[0]["data"]["meetingId"]
    await kennis.press("meeting_cancel_confirm", {"meetingId": meeting_id}, thread, GLOBAL, team_id("kempen"))
    [(_, _, comment)] = tenant.calendar.cancelled
    assert comment == "Het kennismoment 'MAGDA in de praktijk' gaat niet door."
    meeting = await kennis.ports.meetings.get_meeting(meeting_id)
    assert meeting is not None and meeting.state is MeetingState.CANCELLED
