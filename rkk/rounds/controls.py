"""What coordinators' controls mean for posting: pauses, skipped weeks, schedule overrides."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from rkk.model import Controls
from rkk.rounds.weeks import iso_week


def paused_on(controls: Controls, day: date) -> bool:
    """Whether a coordinator's pause covers `day` (the pause is inclusive)."""
    return controls.paused_until is not None and day <= controls.paused_until


def skipped(controls: Controls, week: str) -> bool:
    """Whether a coordinator skipped this ISO week."""
    return controls.skipped_week == week


def schedule_override(controls: Controls) -> tuple[int, time] | None:
    """The weekday (0 = Monday) and time a coordinator chose, if any."""
    if controls.schedule_weekday is None or not controls.schedule_time:
        return None
    hour, minute = controls.schedule_time.split(":")
    return controls.schedule_weekday, time(int(hour), int(minute))


def next_post_moment(
    now: datetime,
    tz: ZoneInfo,
    weekday: int,
    at: time,
    controls: Controls,
    blocked_days: Callable[[date], bool] = lambda _day: False,
) -> datetime | None:
    """The next moment a question will be posted, in `tz`, given the schedule, pauses and skips (None within a year)."""
    local = now.astimezone(tz)
    day = local.date() + timedelta(days=(weekday - local.weekday()) % 7)
    for _ in range(54):
        moment = datetime.combine(day, at, tzinfo=tz)
        week = iso_week(moment, tz)
        if moment > local and not paused_on(controls, day) and not skipped(controls, week) and not blocked_days(day):
            return moment
        day += timedelta(days=7)
    return None
