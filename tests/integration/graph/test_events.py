"""Teams meetings as calendar events over real HTTP: the msgraph-sdk adapter and the calendar port on the double."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from bot.graph.adapter import MsGraph
from bot.graph.calendar import GraphCalendar
from bot.graph.errors import GraphForbidden, GraphNotFound
from bot.graph.model import EventDraft
from i18n.catalog import Catalog
from rkk.crosspost import Actor
from rkk.meetings import CalendarError, Details, Meeting, MeetingState, Mode, Subject
from rkk.rounds.weeks import BRUSSELS
from tests.doubles.graph_double import GraphDouble, GraphState

pytestmark = pytest.mark.filterwarnings("ignore:This class is deprecated:DeprecationWarning")

ORGANIZER = "kennis@v-ict-or.be"
START = datetime(2026, 12, 3, 13, 0, tzinfo=UTC)  # 14:00 in Brussels


@pytest.fixture
def mailbox(state: GraphState) -> GraphState:
    """The organiser mailbox (UPN differs from mail), inside the app's access policy, and the coordinators."""
    state.add_user("aad-kennis", "Kennismomenten V-ICT-OR", ORGANIZER, upn=ORGANIZER)
    state.add_user("aad-griet", "Griet Globaal", "griet@v-ict-or.be", upn="griet.globaal@victor.onmicrosoft.com")
    state.add_user("aad-gast", "Gust Gast", "gust@zoersel.be", guest_of="victor.onmicrosoft.com")
    state.calendar.policy = {"aad-kennis"}
    return state


def draft(online: bool = True, start: datetime = START) -> EventDraft:
    """A 90-minute meeting in Brussels time."""
    return EventDraft(
        "Kennismoment: MAGDA",
        "<p>Uitleg</p>",
        start,
        start + timedelta(minutes=90),
        "Europe/Brussels",
        "" if online else "Provinciehuis",
        online,
        (("griet@v-ict-or.be", "Griet"),),
    )


def meeting(mode: Mode = Mode.ONLINE, event_id: str | None = None) -> Meeting:
    """A kennismoment as the store holds it."""
    subject = Subject("theme:t-1", "MAGDA documentendienst", "", ("antwerpen", "kempen"), 5, "t-1")
    details = Details("MAGDA in de praktijk", START, 90, "Drie besturen vertellen.", mode, "", "", "")
    return Meeting(
        7,
        subject,
        details,
        MeetingState.CREATING,
        ORGANIZER,
        event_id,
        "tx-7",
        0,
        Actor("aad-griet", "Griet"),
        START,
        START,
    )


async def test_a_teams_meeting_is_created_in_brussels_time_and_read_back_in_utc(
    mailbox: GraphState, graph: MsGraph
) -> None:
    """Sent as 14:00 Romance Standard Time with isOnlineMeeting; the answer's UTC times and joinUrl are read."""
    event = await graph.create_event(ORGANIZER, draft(), "tx-1")
    [stored] = mailbox.calendar.all_events()
    assert stored["originalStartTimeZone"] == "Romance Standard Time"
    assert (stored["isOnlineMeeting"], stored["onlineMeetingProvider"], stored["transactionId"]) == (
        True,
        "teamsForBusiness",
        "tx-1",
    )
    assert stored["attendees"][0]["emailAddress"]["address"] == "griet@v-ict-or.be"
    assert (event.start, event.end) == (START, START + timedelta(minutes=90))
    assert event.join_url is not None and event.join_url.startswith("https://teams.microsoft.com/l/meetup-join/")


async def test_a_repeated_transaction_id_gives_back_the_same_event(mailbox: GraphState, graph: MsGraph) -> None:
    """A retry after a lost answer creates no second meeting."""
    first = await graph.create_event(ORGANIZER, draft(), "tx-1")
    second = await graph.create_event(ORGANIZER, draft(), "tx-1")
    assert first.id == second.id and len(mailbox.calendar.all_events()) == 1


async def test_a_mailbox_outside_the_access_policy_is_forbidden(mailbox: GraphState, graph: MsGraph) -> None:
    """Graph's 403 ErrorAccessDenied becomes GraphForbidden; nothing is created."""
    with pytest.raises(GraphForbidden):
        await graph.create_event("griet.globaal@victor.onmicrosoft.com", draft(), "tx-1")
    assert mailbox.calendar.all_events() == []


async def test_throttling_is_retried_after_retry_after(mailbox: GraphState, graph: MsGraph) -> None:
    """Two 429s, then the event is created once."""
    mailbox.inject(429, "/events", retry_after=0.01, times=2)
    await graph.create_event(ORGANIZER, draft(), "tx-1")
    assert len(mailbox.calendar.all_events()) == 1 and mailbox.requests["faults"] == 2


async def test_a_move_patches_only_start_and_end(mailbox: GraphState, graph: MsGraph) -> None:
    """The Teams meeting (its joinUrl) survives the move: the body is never sent."""
    event = await graph.create_event(ORGANIZER, draft(), "tx-1")
    later = START + timedelta(days=7)
    moved = await graph.move_event(ORGANIZER, event.id, later, later + timedelta(hours=1), "Europe/Brussels")
    assert (moved.start, moved.join_url) == (later, event.join_url)


async def test_a_cancelled_event_is_gone(mailbox: GraphState, graph: MsGraph) -> None:
    """202 with the comment; a second cancel is 404."""
    event = await graph.create_event(ORGANIZER, draft(), "tx-1")
    await graph.cancel_event(ORGANIZER, event.id, "Gaat niet door.")
    assert mailbox.calendar.cancelled == [("aad-kennis", event.id, "Gaat niet door.")]
    with pytest.raises(GraphNotFound):
        await graph.cancel_event(ORGANIZER, event.id, "Nog eens.")


async def test_the_double_refuses_a_time_zone_graph_does_not_list(double: GraphDouble, mailbox: GraphState) -> None:
    """Europe/Brussels is not among Graph's IANA names: that is why the adapter sends the Windows name."""
    body = {
        "subject": "x",
        "start": {"dateTime": "2026-12-03T14:00:00", "timeZone": "Europe/Brussels"},
        "end": {"dateTime": "2026-12-03T15:00:00", "timeZone": "Europe/Brussels"},
    }
    async with aiohttp.ClientSession() as session:
        url = f"{double.base_url}/users/{ORGANIZER}/events"
        async with session.post(url, json=body, headers={"Authorization": "Bearer t"}) as response:
            assert response.status == 400
            assert "TimeZone" in (await response.json())["error"]["message"]


async def test_the_calendar_invites_coordinators_at_their_mail_address(
    mailbox: GraphState, graph: MsGraph, texts: Catalog
) -> None:
    """Object ids and UPNs become mail addresses; guests get their home address; unknown ids are left out."""
    calendar = GraphCalendar(graph, ORGANIZER, BRUSSELS, texts)
    invitees = {"aad-griet", "gust_zoersel.be#ext#@victor.onmicrosoft.com", "partner@stad.be", "aad-unknown"}
    created = await calendar.create_event(meeting(), invitees)
    [stored] = mailbox.calendar.all_events()
    addresses = sorted(a["emailAddress"]["address"] for a in stored["attendees"])
    assert addresses == ["griet@v-ict-or.be", "gust@zoersel.be", "partner@stad.be"]
    assert stored["subject"] == "Kennismoment: MAGDA in de praktijk"
    assert "Drie besturen vertellen." in stored["body"]["content"]
    assert created.join_url == stored["onlineMeeting"]["joinUrl"]


async def test_a_refusing_mailbox_is_a_calendar_error_that_names_it(
    mailbox: GraphState, graph: MsGraph, texts: Catalog
) -> None:
    """403 from the access policy: kind "forbidden", so the coordinator is told what the administrator must do."""
    mailbox.calendar.policy = set()
    with pytest.raises(CalendarError) as failed:
        await GraphCalendar(graph, ORGANIZER, BRUSSELS, texts).create_event(meeting(), {"aad-griet"})
    assert (failed.value.kind, failed.value.params["mailbox"]) == ("forbidden", ORGANIZER)


async def test_a_mailbox_without_teams_withdraws_the_event(mailbox: GraphState, graph: MsGraph, texts: Catalog) -> None:
    """An event without joinUrl is cancelled again and reported as "no_teams"."""
    mailbox.calendar.without_teams.add("aad-kennis")
    with pytest.raises(CalendarError) as failed:
        await GraphCalendar(graph, ORGANIZER, BRUSSELS, texts).create_event(meeting(), {"aad-griet"})
    assert failed.value.kind == "no_teams"
    assert mailbox.calendar.all_events() == [] and len(mailbox.calendar.cancelled) == 1


async def test_server_errors_that_persist_are_reported_as_unavailable(
    mailbox: GraphState, graph: MsGraph, texts: Catalog
) -> None:
    """503 on every attempt: kind "unavailable", nothing created."""
    mailbox.inject(503, "/events", times=10)
    with pytest.raises(CalendarError) as failed:
        await GraphCalendar(graph, ORGANIZER, BRUSSELS, texts).create_event(meeting(), {"aad-griet"})
    assert failed.value.kind == "unavailable" and mailbox.calendar.all_events() == []


async def test_cancelling_an_event_that_is_gone_counts_as_cancelled(
    mailbox: GraphState, graph: MsGraph, texts: Catalog
) -> None:
    """404 on cancel: nothing to withdraw any more, no error for the coordinator."""
    await GraphCalendar(graph, ORGANIZER, BRUSSELS, texts).cancel_event(meeting(event_id="AAMkADgone"))
