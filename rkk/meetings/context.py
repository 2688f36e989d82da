"""What the kennismoment use cases are given: their ports and settings (composed in app.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo

from rkk.access import Coordinators
from rkk.crosspost import ThemePublisher, ThemeRepository
from rkk.meetings.ports import AnnouncementPublisher, Calendar, MeetingRepository

logger = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 20  # announcements in flight; the connector's pacer keeps Teams' limits anyway
REMINDER_AT = time(9, 0)  # the day before, from this time on (circles' time zone)


@dataclass(frozen=True)
class MeetingPorts:
    """The adapters: store, theme store, Teams publishers and (with Graph) the organiser's calendar."""

    meetings: MeetingRepository
    themes: ThemeRepository
    publisher: AnnouncementPublisher
    theme_publisher: ThemePublisher
    calendar: Calendar | None  # None without Graph or without an organiser: the join link is typed by hand


@dataclass(frozen=True)
class MeetingSettings:
    """The config the use cases need."""

    timezone: ZoneInfo
    coordinators: Coordinators  # invitees: the RKKs' coordinators and the global ones
    reminder_at: time = REMINDER_AT
    concurrency: int = DEFAULT_CONCURRENCY
