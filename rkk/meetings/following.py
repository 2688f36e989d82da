"""Use case of the follow-up job: finish announcements, bring stale cards up to date, remind the day before."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from rkk.meetings.announcing import announce, notify_places, sync_cards
from rkk.meetings.context import MeetingPorts, MeetingSettings
from rkk.meetings.model import Meeting, MeetingState

logger = logging.getLogger(__name__)

REMINDER = "reminder"


@dataclass
class FollowReport:
    """What one run did."""

    announced: int = 0
    updated: int = 0
    reminded: int = 0


def reminder_moment(meeting: Meeting, settings: MeetingSettings) -> datetime:
    """The day before the meeting at the reminder time, in the circles' time zone."""
    day_before = meeting.details.starts_at.astimezone(settings.timezone).date() - timedelta(days=1)
    return datetime.combine(day_before, settings.reminder_at, tzinfo=settings.timezone)


def reminder_due(meeting: Meeting, settings: MeetingSettings, now: datetime) -> bool:
    """Whether the reminder should go out now: the day before, from the reminder time, before the start.

    A meeting set (planned or moved) after that moment gets none: its announcement or the reply about
    the move went out only hours before, and says the same.
    """
    if meeting.state is not MeetingState.SCHEDULED or now >= meeting.details.starts_at:
        return False
    moment = reminder_moment(meeting, settings)
    return meeting.timed_at < moment <= now


async def follow_meetings(ports: MeetingPorts, settings: MeetingSettings, now: datetime) -> FollowReport:
    """One run over the meetings that are still ahead (or changed lately)."""
    report = FollowReport()
    for meeting in await ports.meetings.meetings_to_follow(now):
        report.announced += len((await announce(ports, settings, meeting, now)).posted)
        report.updated += await sync_cards(ports, meeting.id, now)
        if reminder_due(meeting, settings, now):
            key = meeting.details.starts_at.astimezone(settings.timezone).date().isoformat()
            report.reminded += await notify_places(ports, meeting, REMINDER, key, now)
    if report.announced or report.updated or report.reminded:
        logger.info(
            "meetings followed: %d announced, %d cards updated, %d reminders",
            report.announced,
            report.updated,
            report.reminded,
        )
    return report
