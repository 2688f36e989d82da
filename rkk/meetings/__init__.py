"""Kennismomenten: plan a webinar for a rode draad, announce it in its RKKs, answers, moves, cancels, reminders."""

from rkk.meetings.announcing import AnnounceReport, announce, notify_places, refresh_theme_card, sync_cards
from rkk.meetings.changes import answer_rsvp, cancel_meeting, changeable, move_meeting, view_for
from rkk.meetings.context import MeetingPorts, MeetingSettings
from rkk.meetings.errors import (
    AlreadyPlanned,
    CalendarError,
    ForeignMeetingAction,
    InvalidMeeting,
    MeetingClosed,
    MeetingNotAllowed,
    PlanningInProgress,
)
from rkk.meetings.following import REMINDER, FollowReport, follow_meetings, reminder_due
from rkk.meetings.form import DURATIONS, check_link, parse_details, parse_moment
from rkk.meetings.model import (
    UMBRELLA,
    Announcement,
    Attendance,
    Claim,
    Details,
    Meeting,
    MeetingState,
    MeetingView,
    Mode,
    Rsvp,
    Subject,
    Viewer,
)
from rkk.meetings.planning import PlanOutcome, plan_meeting, subject_of_theme, theme_description
from rkk.meetings.ports import AnnouncementPublisher, Calendar, CalendarEvent, MeetingRepository
from rkk.meetings.views import meeting_on_card, meeting_view

__all__ = [
    "DURATIONS",
    "REMINDER",
    "UMBRELLA",
    "AlreadyPlanned",
    "AnnounceReport",
    "Announcement",
    "AnnouncementPublisher",
    "Attendance",
    "Calendar",
    "CalendarError",
    "CalendarEvent",
    "Claim",
    "Details",
    "FollowReport",
    "ForeignMeetingAction",
    "InvalidMeeting",
    "Meeting",
    "MeetingClosed",
    "MeetingNotAllowed",
    "MeetingPorts",
    "MeetingRepository",
    "MeetingSettings",
    "MeetingState",
    "MeetingView",
    "Mode",
    "PlanOutcome",
    "PlanningInProgress",
    "Rsvp",
    "Subject",
    "Viewer",
    "announce",
    "answer_rsvp",
    "cancel_meeting",
    "changeable",
    "check_link",
    "follow_meetings",
    "meeting_on_card",
    "meeting_view",
    "move_meeting",
    "notify_places",
    "parse_details",
    "parse_moment",
    "plan_meeting",
    "refresh_theme_card",
    "reminder_due",
    "subject_of_theme",
    "sync_cards",
    "theme_description",
    "view_for",
]
