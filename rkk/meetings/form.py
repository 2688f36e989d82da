"""The planning form's rules: what a coordinator types becomes `Details`, or a named refusal.

Every value arrives as text from an Adaptive Card (Input.Date gives YYYY-MM-DD, Input.Time HH:MM)
and may be forged, so each is checked here, in the circles' time zone, before anything is stored.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from rkk.meetings.errors import InvalidMeeting
from rkk.meetings.model import Details, Mode

logger = logging.getLogger(__name__)

TITLE_CHARS = (3, 150)
DESCRIPTION_CHARS = 2000
PLACE_CHARS = 200  # location and speaker
LINK_CHARS = 2000
MINUTES = (15, 480)
DURATIONS = (30, 45, 60, 90, 120, 180, 240)  # what the form offers; other values within MINUTES pass too
MAX_AHEAD = timedelta(days=730)
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)(?::[0-5]\d)?$")


def parse_details(raw: Mapping[str, object], now: datetime, tz: ZoneInfo, *, link_required: bool) -> Details:
    """The validated meeting; `link_required` when there is no Graph to create the Teams meeting."""
    title = _line(raw, "title")
    if not TITLE_CHARS[0] <= len(title) <= TITLE_CHARS[1]:
        raise InvalidMeeting("title length", reason="title", field="title", low=TITLE_CHARS[0], high=TITLE_CHARS[1])
    starts_at, minutes = parse_moment(raw, now, tz)
    description = _block(raw, "description")
    if len(description) > DESCRIPTION_CHARS:
        raise InvalidMeeting("description too long", reason="too_long", field="description", limit=DESCRIPTION_CHARS)
    mode_text = _line(raw, "mode") or Mode.ONLINE.value
    if mode_text not in Mode._value2member_map_:
        raise InvalidMeeting(f"unknown mode {mode_text!r}", reason="mode", field="mode")
    mode = Mode(mode_text)
    location, speaker = _line(raw, "location"), _line(raw, "speaker")
    for name, value in (("location", location), ("speaker", speaker)):
        if len(value) > PLACE_CHARS:
            raise InvalidMeeting(f"{name} too long", reason="too_long", field=name, limit=PLACE_CHARS)
    if mode is Mode.ONSITE and not location:
        raise InvalidMeeting("no location", reason="location_missing", field="location")
    link = ""
    if link_required and mode is Mode.ONLINE:
        link = check_link(_line(raw, "link"))
    return Details(title, starts_at, minutes, description, mode, location, speaker, link)


def parse_moment(raw: Mapping[str, object], now: datetime, tz: ZoneInfo) -> tuple[datetime, int]:
    """Start (aware, UTC) and duration in minutes from the date, time and duration fields."""
    day = _day(_line(raw, "date"))
    at = _clock(_line(raw, "time"))
    minutes = _minutes(_line(raw, "minutes"))
    local = datetime.combine(day, at)
    starts_at = local.replace(tzinfo=tz).astimezone(UTC)
    if starts_at.astimezone(tz).replace(tzinfo=None) != local:  # the hour skipped when summer time starts
        raise InvalidMeeting(f"{local} does not exist in {tz}", reason="time_nonexistent", field="time")
    if starts_at <= now:
        raise InvalidMeeting("start in the past", reason="date_past", field="date")
    if starts_at - now > MAX_AHEAD:
        raise InvalidMeeting("start too far ahead", reason="date_far", field="date")
    return starts_at, minutes


def check_link(link: str) -> str:
    """A join link: https with a host, no spaces, not too long."""
    if not link:
        raise InvalidMeeting("no link", reason="link_missing", field="link")
    parts = urlsplit(link)
    if len(link) > LINK_CHARS or any(ch.isspace() for ch in link):
        raise InvalidMeeting("link malformed", reason="link_invalid", field="link")
    if parts.scheme.lower() != "https" or not parts.hostname:
        raise InvalidMeeting("link not https", reason="link_not_https", field="link")
    return link


def _day(text: str) -> date:
    match = _DATE.match(text)
    if not match:
        raise InvalidMeeting(f"date {text!r}", reason="date_unreadable", field="date")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as error:
        raise InvalidMeeting(f"date {text!r}", reason="date_unreadable", field="date") from error


def _clock(text: str) -> time:
    match = _TIME.match(text)
    if not match:
        raise InvalidMeeting(f"time {text!r}", reason="time_unreadable", field="time")
    return time(int(match[1]), int(match[2]))


def _minutes(text: str) -> int:
    try:
        minutes = int(text)
    except ValueError as error:
        raise InvalidMeeting(f"duration {text!r}", reason="duration", field="minutes") from error
    if minutes <= 0:  # the end would lie before (or at) the start
        raise InvalidMeeting(f"duration {minutes}", reason="end_before_start", field="minutes")
    if not MINUTES[0] <= minutes <= MINUTES[1]:
        raise InvalidMeeting(f"duration {minutes}", reason="duration", field="minutes")
    return minutes


def _text(raw: Mapping[str, object], name: str) -> str:
    """A field's text without control characters; anything that is not text counts as empty."""
    value = raw.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return ""
    return "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def _line(raw: Mapping[str, object], name: str) -> str:
    return " ".join(_text(raw, name).split())


def _block(raw: Mapping[str, object], name: str) -> str:
    lines = [" ".join(line.split()) for line in _text(raw, name).strip().splitlines()]
    return "\n".join(lines).strip()
