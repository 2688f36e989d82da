"""The ports kennismomenten need: their store, the calendar (Microsoft Graph) and the Teams publisher."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from rkk.crosspost import Actor
from rkk.meetings.model import Announcement, Attendance, Claim, Details, Meeting, MeetingView, Rsvp, Subject
from rkk.model import ChannelTarget, Rkk
from rkk.ports import Posted

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CalendarEvent:
    """The Teams meeting as Graph created it."""

    event_id: str
    join_url: str  # empty for a meeting on site


class MeetingRepository(Protocol):
    """Persistent kennismomenten, their announcements, answers and the replies sent about them."""

    async def claim_meeting(
        self, subject: Subject, details: Details, actor: Actor, organizer: str | None, now: datetime, lease: timedelta
    ) -> Claim:
        """Claim the subject's kennismoment: new, after a failure, or after a lapsed attempt; else the live one."""
        ...

    async def get_meeting(self, meeting_id: int) -> Meeting | None:
        """A kennismoment by id."""
        ...

    async def mark_scheduled(self, meeting_id: int, event_id: str | None, join_url: str, now: datetime) -> Meeting:
        """The Teams meeting exists (or its link was typed): record it."""
        ...

    async def mark_failed(self, meeting_id: int, error: str) -> None:
        """Creating the Teams meeting failed; a new attempt may take the row again."""
        ...

    async def reschedule(self, meeting_id: int, starts_at: datetime, minutes: int, now: datetime) -> Meeting:
        """Record a new start and duration (a new revision)."""
        ...

    async def mark_cancelled(self, meeting_id: int, now: datetime) -> Meeting:
        """Record the cancellation (a new revision)."""
        ...

    async def save_rsvp(self, rsvp: Rsvp, now: datetime) -> Attendance:
        """Store or change a member's answer (a new revision); the attendance after it."""
        ...

    async def rsvp_of(self, meeting_id: int, member_id: str) -> Rsvp | None:
        """A member's answer, if any."""
        ...

    async def attendance(self, meeting_id: int) -> Attendance:
        """Members and distinct besturen that come."""
        ...

    async def recent_responders(self, meeting_id: int, limit: int) -> Sequence[str]:
        """Teams user ids of the latest members who answered, newest first."""
        ...

    async def rkks(self, keys: Collection[str]) -> Sequence[Rkk]:
        """These RKKs as configured and installed (unknown keys left out)."""
        ...

    async def claim_announcement(self, meeting_id: int, place: str, now: datetime) -> bool:
        """Claim the announcement in one place (new, or after a failure); False if done or under way."""
        ...

    async def mark_announced(
        self, meeting_id: int, place: str, target: ChannelTarget, posted: Posted, revision: int, now: datetime
    ) -> None:
        """Record where the announcement landed and which revision it shows."""
        ...

    async def mark_announcement_failed(self, meeting_id: int, place: str, error: str) -> None:
        """Record a failed announcement, so that a later run may claim it again."""
        ...

    async def announcements(self, meeting_id: int) -> Sequence[Announcement]:
        """Every announcement of the meeting, in whatever state."""
        ...

    async def mark_shown(self, meeting_id: int, place: str, revision: int) -> None:
        """The card in this place shows `revision` now (never lowers what is recorded)."""
        ...

    async def claim_notice(self, meeting_id: int, place: str, kind: str, key: str, now: datetime) -> bool:
        """Claim one reply (reminder, moved, cancelled) in one place; False if it was sent or claimed."""
        ...

    async def release_notice(self, meeting_id: int, place: str, kind: str, key: str) -> None:
        """Give a claimed reply back after Teams refused it, so that a later run sends it."""
        ...

    async def meetings_to_follow(self, now: datetime) -> Sequence[Meeting]:
        """Scheduled meetings that have not ended, and meetings changed in the last day."""
        ...


class Calendar(Protocol):
    """The organiser's calendar (Microsoft Graph); raises CalendarError only."""

    @property
    def organizer(self) -> str:
        """The mailbox the Teams meetings are created in."""
        ...

    async def create_event(self, meeting: Meeting, invitees: Collection[str]) -> CalendarEvent:
        """Create the meeting (with its transaction id) and invite these people (object ids or UPNs)."""
        ...

    async def move_event(self, meeting: Meeting, starts_at: datetime, minutes: int) -> None:
        """Move the meeting to a new start and duration; the invitees get an update."""
        ...

    async def cancel_event(self, meeting: Meeting) -> None:
        """Cancel the meeting; the invitees get a cancellation. An event that is gone already is fine."""
        ...


class AnnouncementPublisher(Protocol):
    """Puts announcement cards and the replies around them in Teams."""

    async def post_announcement(self, target: ChannelTarget, view: MeetingView) -> Posted:
        """Post the announcement card as a new thread in a channel."""
        ...

    async def reply_announcement(self, target: ChannelTarget, thread: Posted, view: MeetingView) -> Posted:
        """Post the announcement card as a reply in a thread (the theme's cross-post)."""
        ...

    async def update_announcement(self, target: ChannelTarget, posted: Posted, view: MeetingView) -> None:
        """Replace an announcement card in place (everyone's base view)."""
        ...

    async def notify(self, target: ChannelTarget, thread: Posted, kind: str, view: MeetingView) -> None:
        """Reply in an announcement's thread: the reminder the day before, a move or a cancellation."""
        ...
