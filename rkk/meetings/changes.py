"""Use cases on an announced kennismoment: members answer, coordinators move or cancel it.

Moves and cancellations go to Graph first: when Graph refuses, nothing is stored and no card
changes, so the calendar and Teams never disagree. Then the store, then every card in place, then
one reply in each announcement's thread.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from rkk.crosspost import ThemeStatus
from rkk.meetings.announcing import notify_places, sync_cards
from rkk.meetings.context import MeetingPorts, MeetingSettings
from rkk.meetings.errors import MeetingClosed, MeetingNotAllowed
from rkk.meetings.form import parse_moment
from rkk.meetings.model import Meeting, MeetingState, MeetingView, Rsvp, Viewer
from rkk.meetings.views import meeting_on_card, meeting_view, viewer_of
from rkk.model import Member

logger = logging.getLogger(__name__)


async def answer_rsvp(
    ports: MeetingPorts,
    meeting_id: object,
    conversation_id: str | None,
    member: Member,
    teams_user_id: str,
    going: bool,
    coordinator: bool,
    now: datetime,
) -> MeetingView:
    """Store "Ik kom" / "Ik kom niet" for the member; the card as they see it now."""
    meeting, announcement = await meeting_on_card(ports, meeting_id, conversation_id)
    _ensure_open(meeting, now)
    rsvp = Rsvp(meeting.id, member.aad_object_id, teams_user_id, member.name, member.bestuur, announcement.place, going)
    await ports.meetings.save_rsvp(rsvp, now)
    logger.info("meeting %s: a member in %s answered %s", meeting.id, announcement.place, going)
    fresh = await ports.meetings.get_meeting(meeting.id) or meeting
    return await meeting_view(ports, fresh, now, Viewer(going, coordinator))


async def view_for(
    ports: MeetingPorts,
    meeting_id: object,
    conversation_id: str | None,
    member_id: str,
    coordinator: bool,
    now: datetime,
) -> MeetingView:
    """The card as one viewer sees it (the card's refresh, or "back" from a form)."""
    meeting, _ = await meeting_on_card(ports, meeting_id, conversation_id)
    return await meeting_view(ports, meeting, now, await viewer_of(ports, meeting, member_id, coordinator))


async def changeable(
    ports: MeetingPorts, meeting_id: object, conversation_id: str | None, allowed: bool, now: datetime
) -> Meeting:
    """The meeting a coordinator may move or cancel from this card; a named refusal otherwise."""
    if not allowed:
        raise MeetingNotAllowed("not a global coordinator")
    meeting, _ = await meeting_on_card(ports, meeting_id, conversation_id)
    _ensure_open(meeting, now)
    return meeting


async def move_meeting(
    ports: MeetingPorts,
    settings: MeetingSettings,
    meeting_id: object,
    conversation_id: str | None,
    form: Mapping[str, object],
    allowed: bool,
    now: datetime,
) -> Meeting:
    """Move the meeting (Graph, store, every card, a reply in each thread); the moved meeting."""
    meeting = await changeable(ports, meeting_id, conversation_id, allowed, now)
    starts_at, minutes = parse_moment(form, now, settings.timezone)
    if (starts_at, minutes) == (meeting.details.starts_at, meeting.details.minutes):
        return meeting
    if ports.calendar is not None and meeting.event_id:
        await ports.calendar.move_event(meeting, starts_at, minutes)
    moved = await ports.meetings.reschedule(meeting.id, starts_at, minutes, now)
    logger.info("meeting %s moved to %s (%d min)", meeting.id, starts_at, minutes)
    await sync_cards(ports, moved.id, now, theme_card=True)
    await notify_places(ports, moved, "moved", str(moved.revision), now)
    return moved


async def cancel_meeting(
    ports: MeetingPorts, meeting_id: object, conversation_id: str | None, allowed: bool, now: datetime
) -> Meeting:
    """Cancel the meeting (Graph, store, theme status, every card, a reply in each thread)."""
    if not allowed:
        raise MeetingNotAllowed("not a global coordinator")
    meeting, _ = await meeting_on_card(ports, meeting_id, conversation_id)
    if meeting.state is MeetingState.CANCELLED:
        return meeting  # pressed twice, or by two coordinators at once: done already
    _ensure_open(meeting, now)
    if ports.calendar is not None and meeting.event_id:
        await ports.calendar.cancel_event(meeting)
    cancelled = await ports.meetings.mark_cancelled(meeting.id, now)
    theme_key = meeting.subject.theme_key
    theme = await ports.themes.get_theme(theme_key) if theme_key else None
    if theme is not None and theme.status is ThemeStatus.PLANNED:
        await ports.themes.set_status(theme.key, ThemeStatus.CROSSPOSTED, now)  # it may be planned again
    logger.info("meeting %s cancelled", meeting.id)
    await sync_cards(ports, cancelled.id, now, theme_card=True)
    await notify_places(ports, cancelled, "cancelled", "1", now)
    return cancelled


def _ensure_open(meeting: Meeting, now: datetime) -> None:
    """MeetingClosed when the meeting was cancelled or has started."""
    if not meeting.open_for_answers(now):
        reason = "cancelled" if meeting.state is MeetingState.CANCELLED else "started"
        raise MeetingClosed(f"meeting {meeting.id} is {meeting.state}", reason=reason)
