"""Answers, moves, cancellations and reminders on an announced kennismoment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rkk.crosspost import ThemeStatus
from rkk.meetings import (
    CalendarError,
    ForeignMeetingAction,
    InvalidMeeting,
    Meeting,
    MeetingClosed,
    MeetingNotAllowed,
    MeetingState,
    answer_rsvp,
    cancel_meeting,
    follow_meetings,
    move_meeting,
    plan_meeting,
    reminder_due,
    subject_of_theme,
)
from rkk.model import Member
from tests.unit.meetings.fakes import FORM, GLOBAL, NOW, World, world

KEMPEN = "19:kempen@thread.tacv2;messageid=1800000000002"


async def planned(w: World) -> Meeting:
    """A kennismoment for theme t-1 on 3 December 14:00, announced."""
    subject = subject_of_theme(w.themes.themes["t-1"])
    outcome = await plan_meeting(w.ports, w.settings, subject, FORM, GLOBAL, True, NOW)
    return outcome.meeting


def thread_of(w: World, place: str) -> str:
    """The conversation of the announcement in a place."""
    [announcement] = [a for (_, p), a in w.meetings.places.items() if p == place]
    assert announcement.conversation_id is not None
    return announcement.conversation_id


async def rsvp(w: World, meeting: Meeting, who: str, bestuur: str, going: bool, thread: str | None = None) -> object:
    """A member presses Ik kom / Ik kom niet on the Kempen card."""
    member = Member(f"aad-{who}", who, None, bestuur)
    conversation = thread or thread_of(w, "kempen")
    return await answer_rsvp(w.ports, meeting.id, conversation, member, f"29:{who}", going, False, NOW)


async def test_two_members_coming_are_counted_with_their_besturen() -> None:
    """Two members of two besturen; a change of mind counts once; the card shows the viewer's own choice."""
    w = world()
    meeting = await planned(w)
    await rsvp(w, meeting, "an", "Gemeente Mol", True)
    await rsvp(w, meeting, "jan", "Stad Geel", True)
    view = await rsvp(w, meeting, "jan", "Stad Geel", False)
    assert (view.attendance.members, view.attendance.besturen) == (1, 1)  # type: ignore[attr-defined]
    assert view.viewer.going is False  # type: ignore[attr-defined]
    assert set(view.refresh_user_ids) == {"29:jan", "29:an"}  # type: ignore[attr-defined]


@pytest.mark.parametrize("forged", [999, "1", None, True, {"id": 1}])
async def test_a_forged_meeting_id_is_refused(forged: object) -> None:
    """Card data naming no meeting, or another type, stores nothing."""
    w = world()
    await planned(w)
    with pytest.raises(ForeignMeetingAction):
        await answer_rsvp(
            w.ports, forged, thread_of(w, "kempen"), Member("a", "A", None, "X"), "29:a", True, False, NOW
        )
    assert w.meetings.rsvps == {}


async def test_a_button_pressed_in_another_thread_is_refused() -> None:
    """The meeting's id from a card that is not one of its announcements does nothing."""
    w = world()
    meeting = await planned(w)
    with pytest.raises(ForeignMeetingAction):
        await rsvp(w, meeting, "an", "Gemeente Mol", True, thread="19:kempen@thread.tacv2;messageid=42")
    assert w.meetings.rsvps == {}


async def test_a_move_goes_to_graph_then_every_card_and_thread() -> None:
    """The event moves, every announcement and the theme card are redrawn, each thread gets one reply."""
    w = world()
    meeting = await planned(w)
    moved = await move_meeting(
        w.ports, w.settings, meeting.id, KEMPEN, {"date": "2026-12-10", "time": "10:00", "minutes": "60"}, True, NOW
    )
    assert moved.details.starts_at == datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    assert w.calendar.moved == [("event-1", moved.details.starts_at, 60)]  # type: ignore[union-attr]
    assert len(w.publisher.updates) == 3 and w.theme_publisher.updates[-1].meeting is not None
    assert sorted(kind for _, kind in w.publisher.notices) == ["moved"] * 3


async def test_a_move_graph_refuses_changes_nothing() -> None:
    """Graph 403 on the PATCH: the store, the cards and the threads stay as they were."""
    w = world()
    meeting = await planned(w)
    w.calendar.fail.append("forbidden")  # type: ignore[union-attr]
    form = {"date": "2026-12-10", "time": "10:00", "minutes": "60"}
    with pytest.raises(CalendarError):
        await move_meeting(w.ports, w.settings, meeting.id, KEMPEN, form, True, NOW)
    assert w.meetings.rows[meeting.id].details.starts_at == meeting.details.starts_at
    assert w.publisher.updates == [] and w.publisher.notices == []


async def test_a_move_into_the_past_is_refused() -> None:
    """The same date rules as planning."""
    w = world()
    meeting = await planned(w)
    with pytest.raises(InvalidMeeting):
        await move_meeting(
            w.ports, w.settings, meeting.id, KEMPEN, {"date": "2026-11-01", "time": "10:00", "minutes": "60"}, True, NOW
        )


async def test_only_coordinators_move_or_cancel() -> None:
    """Members are refused and nothing changes."""
    w = world()
    meeting = await planned(w)
    with pytest.raises(MeetingNotAllowed):
        await cancel_meeting(w.ports, meeting.id, KEMPEN, False, NOW)
    assert w.meetings.rows[meeting.id].state is MeetingState.SCHEDULED and w.calendar.cancelled == []  # type: ignore[union-attr]


async def test_a_cancellation_updates_every_card_and_frees_the_theme() -> None:
    """Graph cancels, the cards say so, the theme may be planned again; a second press does nothing."""
    w = world()
    meeting = await planned(w)
    cancelled = await cancel_meeting(w.ports, meeting.id, KEMPEN, True, NOW)
    again = await cancel_meeting(w.ports, meeting.id, KEMPEN, True, NOW)
    assert cancelled.state is MeetingState.CANCELLED and again.revision == cancelled.revision
    assert w.calendar.cancelled == ["event-1"]  # type: ignore[union-attr]
    assert len(w.publisher.updates) == 3
    assert w.themes.themes["t-1"].status is ThemeStatus.CROSSPOSTED
    with pytest.raises(MeetingClosed):
        await rsvp(w, meeting, "an", "Gemeente Mol", True)


async def test_the_reminder_goes_out_once_the_day_before_from_nine() -> None:
    """Not at 8:59 on 2 December, once from 9:00, never twice."""
    w = world()
    meeting = await planned(w)
    before = datetime(2026, 12, 2, 7, 59, tzinfo=UTC)  # 8:59 in Brussels
    at_nine = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    assert not reminder_due(meeting, w.settings, before)
    assert (await follow_meetings(w.ports, w.settings, at_nine)).reminded == 3
    assert (await follow_meetings(w.ports, w.settings, at_nine + timedelta(hours=1))).reminded == 0
    assert sorted(kind for _, kind in w.publisher.notices) == ["reminder"] * 3


async def test_a_meeting_planned_on_the_day_before_gets_no_reminder() -> None:
    """Its announcement came out hours before; a reminder would say the same."""
    w = world()
    meeting = await planned(w)
    late = meeting.__class__(**{**meeting.__dict__, "timed_at": datetime(2026, 12, 2, 10, 0, tzinfo=UTC)})
    assert not reminder_due(late, w.settings, datetime(2026, 12, 2, 11, 0, tzinfo=UTC))


async def test_the_follow_up_posts_an_announcement_that_failed_before() -> None:
    """Kempen refused the card at first; the next run posts it there, and only there."""
    w = world()
    w.publisher.refuse.add("19:kempen@thread.tacv2")
    await planned(w)
    w.publisher.refuse.clear()
    report = await follow_meetings(w.ports, w.settings, NOW + timedelta(minutes=5))
    assert report.announced == 1
    assert [c for c, _ in w.publisher.posted] == ["19:antwerpen@thread.tacv2", "19:kempen@thread.tacv2"]
