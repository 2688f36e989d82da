"""Records of kennismomenten: what is planned, where it was announced, who comes."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from rkk.crosspost import Actor
from rkk.model import ChannelTarget

logger = logging.getLogger(__name__)

# The announcement in the theme's cross-post thread; "@" never starts an RKK key, so no RKK can clash.
UMBRELLA = "@overkoepelend"


class MeetingState(enum.StrEnum):
    """Where a kennismoment is in its life."""

    CREATING = "creating"  # claimed; the Teams meeting is being created
    SCHEDULED = "scheduled"  # the meeting exists (or its link was typed); announced
    FAILED = "failed"  # creating it failed; a new attempt takes the same row (and transaction id)
    CANCELLED = "cancelled"


class Mode(enum.StrEnum):
    """Online (a Teams meeting) or on site (a location)."""

    ONLINE = "online"
    ONSITE = "onsite"


@dataclass(frozen=True)
class Subject:
    """What a kennismoment is about: a rode draad (by theme key) or a topic named by hand.

    `key` is unique per subject ("theme:<key>", "topic:<id>"): one live kennismoment per subject.
    """

    key: str
    label: str
    description: str
    rkk_keys: tuple[str, ...]
    bestuur_count: int
    theme_key: str | None = None


@dataclass(frozen=True)
class Details:
    """What the coordinator entered, validated: the meeting as members will read it."""

    title: str
    starts_at: datetime  # aware, UTC
    minutes: int
    description: str
    mode: Mode
    location: str
    speaker: str
    join_url: str  # typed by hand without Graph; from the created event with Graph

    @property
    def ends_at(self) -> datetime:
        """When the meeting ends."""
        return self.starts_at + timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class Meeting:
    """A planned kennismoment as the store keeps it."""

    id: int
    subject: Subject
    details: Details
    state: MeetingState
    organizer: str | None  # the mailbox the Teams meeting lives in; None without Graph
    event_id: str | None
    transaction_id: str  # Graph's transactionId: a retried create never makes a second event
    revision: int  # bumped by every change the cards show (answers, moves, cancellation)
    planned_by: Actor
    created_at: datetime
    timed_at: datetime  # when the date and time were last set (planned or moved)

    def ended(self, now: datetime) -> bool:
        """Whether the meeting is over."""
        return now >= self.details.ends_at

    def open_for_answers(self, now: datetime) -> bool:
        """Whether members may still say they come (scheduled and not started yet)."""
        return self.state is MeetingState.SCHEDULED and now < self.details.starts_at


@dataclass(frozen=True)
class Claim:
    """The meeting row for a subject and whether this call owns it now."""

    meeting: Meeting
    mine: bool


@dataclass(frozen=True)
class Announcement:
    """One announcement card: in an RKK's channel, or (UMBRELLA) in the theme's cross-post thread."""

    meeting_id: int
    place: str  # an RKK key or UMBRELLA
    state: str  # claimed, posted, failed
    target: ChannelTarget | None
    conversation_id: str | None
    message_id: str | None
    shown_revision: int


@dataclass(frozen=True)
class Attendance:
    """How many members and how many distinct besturen said they come."""

    members: int
    besturen: int


@dataclass(frozen=True)
class Rsvp:
    """A member's answer to "Ik kom" / "Ik kom niet"."""

    meeting_id: int
    member_id: str  # Entra object id (else the Teams user id)
    teams_user_id: str  # the Teams user id ("29:..."), for the card's per-viewer refresh
    name: str
    bestuur: str
    place: str
    going: bool


@dataclass(frozen=True)
class Viewer:
    """Who looks at an announcement card: their own answer and whether they may move or cancel."""

    going: bool | None
    coordinator: bool


@dataclass(frozen=True)
class MeetingView:
    """Everything an announcement card shows, for everyone (viewer None) or for one viewer."""

    meeting: Meeting
    attendance: Attendance
    rkk_names: tuple[str, ...]
    refresh_user_ids: tuple[str, ...]  # Teams user ids whose card refreshes to their own view
    now: datetime
    viewer: Viewer | None = None
