"""The Dutch (and English) sentences for kennismoment refusals and outcomes, from the message catalogue."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from cards.meetings import when_text
from i18n.catalog import Catalog
from rkk.crosspost import ForeignThemeAction
from rkk.errors import RkkError
from rkk.meetings import (
    UMBRELLA,
    AlreadyPlanned,
    AnnounceReport,
    CalendarError,
    ForeignMeetingAction,
    InvalidMeeting,
    Meeting,
    MeetingClosed,
    MeetingNotAllowed,
    PlanningInProgress,
)

logger = logging.getLogger(__name__)


def refusal(error: RkkError, texts: Catalog, lang: str, tz: ZoneInfo, *, created: bool = False) -> str:
    """What to tell the coordinator or member about a refused action, with what to do about it.

    `created`: the action would have created a meeting (else it would have changed one).
    """
    params = error.params
    if isinstance(error, InvalidMeeting):
        reason = str(params.get("reason"))
        return texts.text(f"meeting_invalid_{reason}", lang, **{k: v for k, v in params.items() if k != "reason"})
    if isinstance(error, CalendarError):
        kind = texts.text(f"meeting_calendar_{error.kind}", lang, mailbox=params.get("mailbox", ""))
        return f"{kind} {texts.text('meeting_nothing_created' if created else 'meeting_nothing_changed', lang)}"
    if isinstance(error, AlreadyPlanned) and isinstance(params.get("meeting"), Meeting):
        meeting = params["meeting"]
        assert isinstance(meeting, Meeting)
        when = when_text(meeting.details, tz, texts, lang)
        return texts.text("meeting_already_planned", lang, title=meeting.details.title, when=when)
    if isinstance(error, MeetingClosed):
        return texts.text(f"meeting_closed_{params.get('reason', 'started')}", lang)
    keys: Mapping[type[RkkError], str] = {
        MeetingNotAllowed: "meeting_not_coordinator",
        ForeignMeetingAction: "meeting_foreign",
        ForeignThemeAction: "theme_foreign",
        PlanningInProgress: "meeting_in_progress",
    }
    key = next((k for kind, k in keys.items() if isinstance(error, kind)), None)
    if key is None:
        logger.error("no message for %s: %s", type(error).__name__, error)
        return texts.text("internal_error", lang)
    return texts.text(key, lang)


def planned_notice(report: AnnounceReport, names: Mapping[str, str], texts: Catalog, lang: str) -> str:
    """Where the announcement went out, and where it did not yet."""

    def name(place: str) -> str:
        return texts.text("meeting_place_umbrella", lang) if place == UMBRELLA else names.get(place, place)

    parts = []
    if report.posted:
        parts.append(texts.text("meeting_planned_notice", lang, places=", ".join(name(p) for p in report.posted)))
    if report.failed:
        missing = ", ".join(name(p) for p in sorted(report.failed))
        parts.append(texts.text("meeting_planned_missing", lang, places=missing))
    return " ".join(parts)
