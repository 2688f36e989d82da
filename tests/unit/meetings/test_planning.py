"""Planning: Graph first, then the record, then the announcements; a failure announces nothing."""

from __future__ import annotations

import pytest

from rkk.crosspost import Decision, ThemeStatus
from rkk.meetings import (
    UMBRELLA,
    AlreadyPlanned,
    CalendarError,
    InvalidMeeting,
    MeetingNotAllowed,
    MeetingState,
    plan_meeting,
    subject_of_theme,
)
from tests.unit.meetings.fakes import FORM, GLOBAL, NOW, World, world


async def plan(w: World, allowed: bool = True, **changes: object) -> object:
    """Plan a kennismoment for theme t-1."""
    subject = subject_of_theme(w.themes.themes["t-1"])
    return await plan_meeting(w.ports, w.settings, subject, {**FORM, **changes}, GLOBAL, allowed, NOW)


async def test_a_plan_creates_the_meeting_records_it_and_announces_it_everywhere() -> None:
    """One Teams meeting, one card per RKK, one reply in the cross-post thread, the theme planned."""
    w = world()
    outcome = await plan(w)
    assert outcome.meeting.state is MeetingState.SCHEDULED  # type: ignore[attr-defined]
    assert len(w.calendar.events) == 1  # type: ignore[union-attr]
    assert sorted(channel for channel, _ in w.publisher.posted) == [
        "19:antwerpen@thread.tacv2",
        "19:kempen@thread.tacv2",
    ]
    assert [c for c, _ in w.publisher.replies] == ["19:rode@thread.tacv2;messageid=90"]
    assert outcome.report.posted == ["@overkoepelend", "antwerpen", "kempen"]  # type: ignore[attr-defined]
    [(record, status)] = w.themes.decisions
    assert (record.decision, record.by_id, status) == (Decision.PLAN, "aad-global", ThemeStatus.PLANNED)
    assert w.theme_publisher.updates[-1].meeting is not None  # the cross-post card names the meeting


async def test_the_invitees_are_the_rkks_coordinators_and_the_global_ones() -> None:
    """Coordinators of the RKKs in which the theme arose, plus the global coordinators."""
    w = world()
    await plan(w)
    [invited] = w.calendar.invited.values()  # type: ignore[union-attr]
    assert set(invited) == {"aad-global", "koen@kempen.be"}


async def test_the_join_link_comes_from_the_created_event() -> None:
    """With Graph, the card's link is the event's joinUrl, not anything typed."""
    w = world()
    outcome = await plan(w, link="https://evil.example/x")
    assert outcome.meeting.details.join_url == "https://teams.microsoft.com/l/meetup-join/event-1"  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", ["forbidden", "throttled", "unavailable", "no_teams", "not_found"])
async def test_a_graph_failure_announces_nothing_and_can_be_retried(kind: str) -> None:
    """The row is failed, no card is posted, the theme is not planned; the retry reuses the transaction id."""
    w = world()
    w.calendar.fail.append(kind)  # type: ignore[union-attr]
    with pytest.raises(CalendarError) as failed:
        await plan(w)
    assert failed.value.kind == kind
    [row] = w.meetings.rows.values()
    assert row.state is MeetingState.FAILED
    assert w.publisher.posted == [] and w.publisher.replies == [] and w.themes.decisions == []
    retried = await plan(w)
    assert retried.meeting.id == row.id and retried.meeting.transaction_id == row.transaction_id  # type: ignore[attr-defined]
    assert len(w.calendar.by_transaction) == 1  # type: ignore[union-attr]


async def test_bad_input_stores_nothing() -> None:
    """A date in the past is refused before anything is claimed or created."""
    w = world()
    with pytest.raises(InvalidMeeting):
        await plan(w, date="2026-11-01")
    assert w.meetings.rows == {} and w.calendar.events == {}  # type: ignore[union-attr]


async def test_a_non_coordinator_changes_nothing() -> None:
    """Refused before the form is even read."""
    w = world()
    with pytest.raises(MeetingNotAllowed):
        await plan(w, allowed=False)
    assert w.meetings.rows == {} and w.calendar.events == {}  # type: ignore[union-attr]


async def test_a_second_plan_for_the_same_theme_is_refused() -> None:
    """One live kennismoment per rode draad: the second press creates no second meeting."""
    w = world()
    await plan(w)
    with pytest.raises(AlreadyPlanned):
        await plan(w, date="2026-12-10")
    assert len(w.calendar.events) == 1 and len(w.publisher.posted) == 2  # type: ignore[union-attr]


async def test_without_graph_the_typed_link_is_used() -> None:
    """Demo mode: the link from the form goes on the cards."""
    w = world(graph=False)
    outcome = await plan(w)
    assert outcome.meeting.details.join_url == FORM["link"]  # type: ignore[attr-defined]
    assert outcome.meeting.event_id is None  # type: ignore[attr-defined]


async def test_an_rkk_without_the_bot_is_reported_and_the_others_are_announced() -> None:
    """The missing RKK fails (retried later); the meeting and the other cards stand."""
    w = world(installed=("antwerpen",))
    outcome = await plan(w)
    assert outcome.report.failed == {"kempen": "not_installed"}  # type: ignore[attr-defined]
    assert [c for c, _ in w.publisher.posted] == ["19:antwerpen@thread.tacv2"]
    assert (outcome.meeting.id, "kempen") in w.meetings.places  # type: ignore[attr-defined]
    assert w.meetings.places[(outcome.meeting.id, UMBRELLA)].state == "posted"  # type: ignore[attr-defined]
