"""Use cases: announce a kennismoment once per place, keep every card up to date, reply in the threads.

A place is an RKK's channel (a new thread) or the theme's cross-post thread (a reply). Each
announcement row is claimed before anything is sent (primary key: meeting and place), so replicas,
retries and the follow-up job never post a second card in one place. A post whose outcome Teams
left unknown keeps its claim and is not re-posted on its own (a duplicate is worse than a gap).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime

from rkk.crosspost import PostUncertain, theme_view
from rkk.errors import NotInstalled, RkkError
from rkk.meetings.context import MeetingPorts, MeetingSettings
from rkk.meetings.model import UMBRELLA, Announcement, Meeting, MeetingState, MeetingView
from rkk.meetings.views import meeting_view
from rkk.model import ChannelTarget
from rkk.ports import Posted

logger = logging.getLogger(__name__)


@dataclass
class AnnounceReport:
    """Where the announcement went out now, and where not (place -> error code)."""

    posted: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class _Place:
    key: str
    target: ChannelTarget | None
    thread: Posted | None  # the cross-post thread the umbrella announcement replies in


async def announce(ports: MeetingPorts, settings: MeetingSettings, meeting: Meeting, now: datetime) -> AnnounceReport:
    """Post the announcement in every place that has none yet (or whose earlier post failed)."""
    report = AnnounceReport()
    if meeting.state is not MeetingState.SCHEDULED or meeting.ended(now):
        return report
    done = {a.place for a in await ports.meetings.announcements(meeting.id) if a.state != "failed"}
    places = [place for place in await _places(ports, meeting) if place.key not in done]
    if not places:
        return report
    view = await meeting_view(ports, meeting, now)
    gate = asyncio.Semaphore(max(1, settings.concurrency))

    async def one(place: _Place) -> None:
        async with gate:
            outcome = await _announce_in(ports, meeting, place, view, now)
        if outcome == "posted":
            report.posted.append(place.key)
        elif outcome:
            report.failed[place.key] = outcome

    async with asyncio.TaskGroup() as group:
        for place in places:
            group.create_task(one(place))
    report.posted.sort()
    if report.posted or report.failed:
        logger.info("meeting %s announced in %s, not in %s", meeting.id, report.posted, sorted(report.failed))
    return report


async def _places(ports: MeetingPorts, meeting: Meeting) -> list[_Place]:
    """The RKKs in which the subject arose, and the theme's cross-post thread when it has one."""
    rkks = {rkk.key: rkk for rkk in await ports.meetings.rkks(meeting.subject.rkk_keys)}
    places = [_Place(key, rkks[key].target if key in rkks else None, None) for key in meeting.subject.rkk_keys]
    theme_key = meeting.subject.theme_key
    post = await ports.themes.get_crosspost(theme_key) if theme_key else None
    if post is not None and post.target and post.state == "posted" and post.conversation_id and post.message_id:
        places.append(_Place(UMBRELLA, post.target, Posted(post.conversation_id, post.message_id)))
    return places


async def _announce_in(ports: MeetingPorts, meeting: Meeting, place: _Place, view: MeetingView, now: datetime) -> str:
    """ "posted", an error code, or "" when another run holds (or finished) this place."""
    repo = ports.meetings
    if not await repo.claim_announcement(meeting.id, place.key, now):
        return ""
    if place.target is None:
        await repo.mark_announcement_failed(meeting.id, place.key, f"RKK {place.key}: bot not installed")
        return NotInstalled.code
    try:
        if place.thread is not None:
            posted = await ports.publisher.reply_announcement(place.target, place.thread, view)
        else:
            posted = await ports.publisher.post_announcement(place.target, view)
    except PostUncertain as error:
        logger.error("meeting %s in %s: Teams did not answer; not posted again automatically", meeting.id, place.key)
        return error.code
    except RkkError as error:
        await repo.mark_announcement_failed(meeting.id, place.key, str(error))
        return error.code
    await repo.mark_announced(meeting.id, place.key, place.target, posted, meeting.revision, now)
    return "posted"


async def sync_cards(ports: MeetingPorts, meeting_id: int, now: datetime, *, theme_card: bool = False) -> int:
    """Bring every announcement card that shows an older revision up to date; how many were updated.

    `theme_card` also redraws the theme's cross-post card (its status line names the meeting).
    """
    meeting = await ports.meetings.get_meeting(meeting_id)
    if meeting is None:
        return 0
    stale = [
        a
        for a in await ports.meetings.announcements(meeting.id)
        if a.state == "posted" and a.shown_revision < meeting.revision and a.target and a.conversation_id
    ]
    updated = 0
    if stale:
        view = await meeting_view(ports, meeting, now)
        for announcement in stale:
            updated += await _update(ports, announcement, view)
    if theme_card:
        await refresh_theme_card(ports, meeting)
    return updated


async def _update(ports: MeetingPorts, announcement: Announcement, view: MeetingView) -> int:
    assert announcement.target is not None and announcement.conversation_id and announcement.message_id
    posted = Posted(announcement.conversation_id, announcement.message_id)
    try:
        await ports.publisher.update_announcement(announcement.target, posted, view)
    except RkkError as error:  # the row keeps its old revision: the follow-up job tries again
        logger.warning("meeting %s: card in %s not updated: %s", view.meeting.id, announcement.place, error)
        return 0
    await ports.meetings.mark_shown(view.meeting.id, announcement.place, view.meeting.revision)
    return 1


async def refresh_theme_card(ports: MeetingPorts, meeting: Meeting) -> None:
    """Redraw the theme's cross-post card, whose status line shows the planned kennismoment."""
    key = meeting.subject.theme_key
    theme = await ports.themes.get_theme(key) if key else None
    post = await ports.themes.get_crosspost(theme.key) if theme else None
    if theme is None or post is None or post.target is None or not post.conversation_id or not post.message_id:
        return
    view = await theme_view(ports.themes, theme, show_names=False)
    try:
        await ports.theme_publisher.update_theme(post.target, Posted(post.conversation_id, post.message_id), view)
    except RkkError as error:
        logger.warning("theme %s: card not updated for meeting %s: %s", theme.key, meeting.id, error)


async def notify_places(ports: MeetingPorts, meeting: Meeting, kind: str, key: str, now: datetime) -> int:
    """Reply once in every announcement's thread (a reminder, a move, a cancellation); how many were sent."""
    sent = 0
    view = await meeting_view(ports, meeting, now)
    for announcement in await ports.meetings.announcements(meeting.id):
        if announcement.state != "posted" or not announcement.target or not announcement.conversation_id:
            continue
        if not await ports.meetings.claim_notice(meeting.id, announcement.place, kind, key, now):
            continue
        thread = Posted(announcement.conversation_id, announcement.message_id or "")
        try:
            await ports.publisher.notify(announcement.target, thread, kind, view)
        except RkkError as error:
            logger.warning("meeting %s: %s reply in %s failed: %s", meeting.id, kind, announcement.place, error)
            await ports.meetings.release_notice(meeting.id, announcement.place, kind, key)
            continue
        sent += 1
    return sent
