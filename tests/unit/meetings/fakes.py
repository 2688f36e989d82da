"""In-memory doubles of the kennismoment ports; tests assert on their state."""

from __future__ import annotations

import itertools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from rkk.access import Coordinators
from rkk.crosspost import (
    Actor,
    CrossPost,
    DecisionRecord,
    PlannedMeeting,
    Spread,
    StoredTheme,
    ThemeStatus,
    ThemeView,
)
from rkk.errors import PostFailed
from rkk.meetings import (
    Announcement,
    Attendance,
    CalendarError,
    CalendarEvent,
    Claim,
    Details,
    Meeting,
    MeetingPorts,
    MeetingSettings,
    MeetingState,
    MeetingView,
    Mode,
    Rsvp,
    Subject,
    Viewer,
)
from rkk.model import ChannelTarget, Rkk
from rkk.ports import Posted
from rkk.rounds.weeks import BRUSSELS

SERVICE_URL = "http://127.0.0.1:9/teams/"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday 10:00 in Brussels


def rkk(key: str, installed: bool = True) -> Rkk:
    """An RKK whose General channel is `19:{key}@thread.tacv2`."""
    channel = f"19:{key}@thread.tacv2"
    target = ChannelTarget(SERVICE_URL, "tenant", channel, channel) if installed else None
    return Rkk(key, f"RKK {key.title()}", channel, channel, target)


@dataclass
class InMemoryMeetings:
    """The MeetingRepository in memory, with the same rules as the SQL store."""

    known_rkks: dict[str, Rkk] = field(default_factory=dict)
    rows: dict[int, Meeting] = field(default_factory=dict)
    leases: dict[int, datetime] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)
    places: dict[tuple[int, str], Announcement] = field(default_factory=dict)
    rsvps: dict[tuple[int, str], Rsvp] = field(default_factory=dict)
    answered_at: dict[tuple[int, str], datetime] = field(default_factory=dict)
    notices: set[tuple[int, str, str, str]] = field(default_factory=set)
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    async def claim_meeting(
        self, subject: Subject, details: Details, actor: Actor, organizer: str | None, now: datetime, lease: timedelta
    ) -> Claim:
        """Insert, or retake a failed or lapsed row; else the live one."""
        live = next((m for m in self.rows.values() if m.subject.key == subject.key and m.state != "cancelled"), None)
        claimed = {"subject": subject, "details": details, "state": MeetingState.CREATING, "organizer": organizer}
        if live is None:
            meeting = Meeting(
                next(self._ids),
                subject,
                details,
                MeetingState.CREATING,
                organizer,
                None,
                f"tx-{len(self.rows) + 1}",
                0,
                actor,
                now,
                now,
            )
        elif live.state is MeetingState.FAILED or (
            live.state is MeetingState.CREATING and self.leases.get(live.id, now) < now
        ):
            meeting = replace(live, planned_by=actor, timed_at=now, **claimed)
        else:
            return Claim(live, False)
        self.rows[meeting.id] = meeting
        self.leases[meeting.id] = now + lease
        return Claim(meeting, True)

    async def get_meeting(self, meeting_id: int) -> Meeting | None:
        """By id."""
        return self.rows.get(meeting_id)

    async def mark_scheduled(self, meeting_id: int, event_id: str | None, join_url: str, now: datetime) -> Meeting:
        """Scheduled, with a new revision."""
        meeting = self.rows[meeting_id]
        details = replace(meeting.details, join_url=join_url)
        return self._save(
            replace(meeting, state=MeetingState.SCHEDULED, event_id=event_id, details=details, timed_at=now)
        )

    async def mark_failed(self, meeting_id: int, error: str) -> None:
        """Failed; may be retaken."""
        self.rows[meeting_id] = replace(self.rows[meeting_id], state=MeetingState.FAILED)
        self.errors[meeting_id] = error

    async def reschedule(self, meeting_id: int, starts_at: datetime, minutes: int, now: datetime) -> Meeting:
        """Moved."""
        meeting = self.rows[meeting_id]
        details = replace(meeting.details, starts_at=starts_at, minutes=minutes)
        return self._save(replace(meeting, details=details, timed_at=now))

    async def mark_cancelled(self, meeting_id: int, now: datetime) -> Meeting:
        """Cancelled."""
        return self._save(replace(self.rows[meeting_id], state=MeetingState.CANCELLED))

    async def save_rsvp(self, rsvp: Rsvp, now: datetime) -> Attendance:
        """Upsert and bump the revision."""
        self.rsvps[(rsvp.meeting_id, rsvp.member_id)] = rsvp
        self.answered_at[(rsvp.meeting_id, rsvp.member_id)] = now
        self._save(self.rows[rsvp.meeting_id])
        return await self.attendance(rsvp.meeting_id)

    async def rsvp_of(self, meeting_id: int, member_id: str) -> Rsvp | None:
        """A member's answer."""
        return self.rsvps.get((meeting_id, member_id))

    async def attendance(self, meeting_id: int) -> Attendance:
        """Members and known besturen coming."""
        going = [r for (m, _), r in self.rsvps.items() if m == meeting_id and r.going]
        return Attendance(len(going), len({r.bestuur for r in going if r.bestuur != "onbekend"}))

    async def recent_responders(self, meeting_id: int, limit: int) -> Sequence[str]:
        """Newest first."""
        keys = sorted((k for k in self.rsvps if k[0] == meeting_id), key=lambda k: self.answered_at[k], reverse=True)
        return [self.rsvps[k].teams_user_id for k in keys][:limit]

    async def rkks(self, keys: Collection[str]) -> Sequence[Rkk]:
        """Known RKKs among the keys."""
        return [self.known_rkks[k] for k in sorted(keys) if k in self.known_rkks]

    async def claim_announcement(self, meeting_id: int, place: str, now: datetime) -> bool:
        """New or failed only."""
        current = self.places.get((meeting_id, place))
        if current is not None and current.state != "failed":
            return False
        self.places[(meeting_id, place)] = Announcement(meeting_id, place, "claimed", None, None, None, 0)
        return True

    async def mark_announced(
        self, meeting_id: int, place: str, target: ChannelTarget, posted: Posted, revision: int, now: datetime
    ) -> None:
        """Posted."""
        self.places[(meeting_id, place)] = Announcement(
            meeting_id, place, "posted", target, posted.conversation_id, posted.message_id, revision
        )

    async def mark_announcement_failed(self, meeting_id: int, place: str, error: str) -> None:
        """Failed."""
        self.places[(meeting_id, place)] = replace(self.places[(meeting_id, place)], state="failed")

    async def announcements(self, meeting_id: int) -> Sequence[Announcement]:
        """By place."""
        return [a for (m, _), a in sorted(self.places.items()) if m == meeting_id]

    async def mark_shown(self, meeting_id: int, place: str, revision: int) -> None:
        """Never lowers."""
        current = self.places[(meeting_id, place)]
        self.places[(meeting_id, place)] = replace(current, shown_revision=max(current.shown_revision, revision))

    async def claim_notice(self, meeting_id: int, place: str, kind: str, key: str, now: datetime) -> bool:
        """Once."""
        if (meeting_id, place, kind, key) in self.notices:
            return False
        self.notices.add((meeting_id, place, kind, key))
        return True

    async def release_notice(self, meeting_id: int, place: str, kind: str, key: str) -> None:
        """Give back."""
        self.notices.discard((meeting_id, place, kind, key))

    async def meetings_to_follow(self, now: datetime) -> Sequence[Meeting]:
        """Every scheduled or cancelled meeting."""
        return [m for m in self.rows.values() if m.state in (MeetingState.SCHEDULED, MeetingState.CANCELLED)]

    def _save(self, meeting: Meeting) -> Meeting:
        meeting = replace(meeting, revision=meeting.revision + 1)
        self.rows[meeting.id] = meeting
        return meeting


@dataclass
class FakeCalendar:
    """The organiser's calendar: remembers events; `fail` raises a CalendarError of that kind once per entry."""

    organizer: str = "kennis@v-ict-or.be"
    events: dict[str, Meeting] = field(default_factory=dict)
    by_transaction: dict[str, str] = field(default_factory=dict)
    invited: dict[str, Collection[str]] = field(default_factory=dict)
    moved: list[tuple[str, datetime, int]] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)
    fail: list[str] = field(default_factory=list)

    def _maybe_fail(self) -> None:
        if self.fail:
            raise CalendarError("Graph said no", kind=self.fail.pop(0), mailbox=self.organizer)

    async def create_event(self, meeting: Meeting, invitees: Collection[str]) -> CalendarEvent:
        """Create once per transaction id."""
        self._maybe_fail()
        event_id = self.by_transaction.setdefault(meeting.transaction_id, f"event-{len(self.by_transaction) + 1}")
        self.events[event_id] = meeting
        self.invited[event_id] = invitees
        return CalendarEvent(event_id, f"https://teams.microsoft.com/l/meetup-join/{event_id}")

    async def move_event(self, meeting: Meeting, starts_at: datetime, minutes: int) -> None:
        """Remember the move."""
        self._maybe_fail()
        self.moved.append((meeting.event_id or "", starts_at, minutes))

    async def cancel_event(self, meeting: Meeting) -> None:
        """Remember the cancellation."""
        self._maybe_fail()
        self.cancelled.append(meeting.event_id or "")


@dataclass
class FakeAnnouncements:
    """The AnnouncementPublisher: remembers cards (by place channel), updates and replies."""

    posted: list[tuple[str, MeetingView]] = field(default_factory=list)  # (channel id, view)
    replies: list[tuple[str, MeetingView]] = field(default_factory=list)  # announcement replies in a thread
    updates: list[tuple[str, MeetingView]] = field(default_factory=list)
    notices: list[tuple[str, str]] = field(default_factory=list)  # (conversation, kind)
    refuse: set[str] = field(default_factory=set)  # channel ids whose posts fail

    async def post_announcement(self, target: ChannelTarget, view: MeetingView) -> Posted:
        """A new thread."""
        if target.channel_id in self.refuse:
            raise PostFailed("Teams answered 403")
        self.posted.append((target.channel_id, view))
        message = f"{1800000000000 + len(self.posted)}"
        return Posted(f"{target.channel_id};messageid={message}", message)

    async def reply_announcement(self, target: ChannelTarget, thread: Posted, view: MeetingView) -> Posted:
        """A reply in the cross-post thread."""
        self.replies.append((thread.conversation_id, view))
        return Posted(thread.conversation_id, f"reply-{len(self.replies)}")

    async def update_announcement(self, target: ChannelTarget, posted: Posted, view: MeetingView) -> None:
        """In place."""
        self.updates.append((posted.conversation_id, view))

    async def notify(self, target: ChannelTarget, thread: Posted, kind: str, view: MeetingView) -> None:
        """A reply."""
        self.notices.append((thread.conversation_id, kind))


@dataclass
class FakeThemes:
    """The part of the ThemeRepository kennismomenten use, with one cross-posted theme per key."""

    themes: dict[str, StoredTheme] = field(default_factory=dict)
    posts: dict[str, CrossPost] = field(default_factory=dict)
    decisions: list[tuple[DecisionRecord, ThemeStatus]] = field(default_factory=list)
    meetings: InMemoryMeetings | None = None

    def add(self, key: str, rkks: tuple[str, ...], besturen: int) -> StoredTheme:
        """A cross-posted rode draad."""
        spread = Spread.of(rkks, [f"Bestuur {i}" for i in range(besturen)])
        theme = StoredTheme(
            key, f"Label {key}", (), spread, "2026-W40", "2026-W47", True, ThemeStatus.CROSSPOSTED, None
        )
        self.themes[key] = theme
        umbrella = ChannelTarget(SERVICE_URL, "tenant", "19:umbrella@thread.tacv2", "19:rode@thread.tacv2")
        conversation = f"19:rode@thread.tacv2;messageid=9{len(self.posts)}"
        self.posts[key] = CrossPost(key, "posted", umbrella, conversation, f"9{len(self.posts)}", spread, 0)
        return theme

    async def get_theme(self, key: str) -> StoredTheme | None:
        """By key."""
        return self.themes.get(key)

    async def get_crosspost(self, key: str) -> CrossPost | None:
        """The theme's card."""
        return self.posts.get(key)

    async def record_decision(self, record: DecisionRecord, status: ThemeStatus) -> None:
        """Decision and status."""
        self.decisions.append((record, status))
        self.themes[record.theme_key] = replace(self.themes[record.theme_key], status=status)

    async def set_status(self, key: str, status: ThemeStatus, now: datetime) -> None:
        """Status only."""
        self.themes[key] = replace(self.themes[key], status=status)

    async def last_decision(self, key: str) -> DecisionRecord | None:
        """The latest decision."""
        return next((r for r, _ in reversed(self.decisions) if r.theme_key == key), None)

    async def evidence(self, key: str) -> Sequence[Any]:
        """No answers: the card shows counts only."""
        return []

    async def features_of(self, answer_ids: Sequence[str]) -> Sequence[Any]:
        """None."""
        return []

    async def planned_meetings(self, keys: Sequence[str]) -> Mapping[str, PlannedMeeting]:
        """From the meetings store."""
        rows = self.meetings.rows.values() if self.meetings else []
        return {
            m.subject.theme_key: PlannedMeeting(m.details.starts_at, m.details.title)
            for m in rows
            if m.subject.theme_key in keys and m.state is MeetingState.SCHEDULED
        }


@dataclass
class FakeThemePublisher:
    """Remembers theme card updates."""

    updates: list[ThemeView] = field(default_factory=list)

    async def update_theme(self, target: ChannelTarget, posted: Posted, view: ThemeView) -> None:
        """In place."""
        self.updates.append(view)


@dataclass
class World:
    """The ports wired together, with two RKKs and one rode draad over both."""

    meetings: InMemoryMeetings
    themes: FakeThemes
    publisher: FakeAnnouncements
    theme_publisher: FakeThemePublisher
    calendar: FakeCalendar | None
    settings: MeetingSettings

    @property
    def ports(self) -> MeetingPorts:
        """The bundle the use cases take."""
        return MeetingPorts(self.meetings, self.themes, self.publisher, self.theme_publisher, self.calendar)  # type: ignore[arg-type]


def world(*, graph: bool = True, installed: tuple[str, ...] = ("antwerpen", "kempen")) -> World:
    """Two RKKs (installed unless left out), a theme over both, a calendar unless `graph` is off."""
    meetings = InMemoryMeetings({key: rkk(key, key in installed) for key in ("antwerpen", "kempen")})
    themes = FakeThemes(meetings=meetings)
    themes.add("t-1", ("antwerpen", "kempen"), 5)
    coordinators = Coordinators.build(["aad-global"], {"kempen": ["koen@kempen.be"]}, everyone=False)
    settings = MeetingSettings(BRUSSELS, coordinators, concurrency=2)
    return World(
        meetings, themes, FakeAnnouncements(), FakeThemePublisher(), FakeCalendar() if graph else None, settings
    )


FORM = {
    "title": "MAGDA in de praktijk",
    "date": "2026-12-03",
    "time": "14:00",
    "minutes": "90",
    "description": "Drie besturen vertellen.",
    "mode": "online",
    "link": "https://teams.microsoft.com/l/meetup-join/x",
}
GLOBAL = Actor("aad-global", "Griet Globaal")


def sample_view(
    *,
    state: MeetingState = MeetingState.SCHEDULED,
    mode: str = "online",
    viewer: Viewer | None = None,
    members: int = 3,
    now: datetime = NOW,
    refresh: tuple[str, ...] = ("29:an", "29:jan"),
) -> MeetingView:
    """An announcement's content with member-typed text that must stay literal."""
    subject = Subject("theme:t-1", "MAGDA documentendienst", "", ("antwerpen", "kempen", "limburg"), 5, "t-1")
    details = Details(
        "**MAGDA** in de praktijk {{DATE(2026-01-01)}}",
        datetime(2026, 12, 3, 13, 0, tzinfo=UTC),
        90,
        "Drie besturen vertellen.\n[klik](https://evil.example) <at>Iedereen</at>",
        Mode(mode),
        "Provinciehuis Antwerpen" if mode == "onsite" else "",
        "Prof. X *Y*",
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0" if mode == "online" else "",
    )
    meeting = Meeting(7, subject, details, state, None, None, "tx", 4, GLOBAL, NOW, NOW)
    names = ("RKK Antwerpen", "RKK Kempen", "RKK Limburg")
    return MeetingView(meeting, Attendance(members, min(members, 2)), names, refresh, now, viewer)
