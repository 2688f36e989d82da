"""ISO weeks in the circles' time zone (Europe/Brussels)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from rkk.rounds.weeks import BRUSSELS, iso_week, week_monday, week_number


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (date(2026, 12, 31), "2026-W53"),
        (date(2027, 1, 1), "2026-W53"),
        (date(2027, 1, 3), "2026-W53"),
        (date(2027, 1, 4), "2027-W01"),
        (date(2025, 12, 29), "2026-W01"),
        (date(2025, 12, 28), "2025-W52"),
    ],
)
def test_iso_week_around_new_year_follows_iso_years(day: date, week: str) -> None:
    """Days around New Year belong to the ISO year of their week, not their calendar year."""
    moment = datetime(day.year, day.month, day.day, 12, 0, tzinfo=BRUSSELS)
    assert iso_week(moment) == week


def test_iso_week_counts_late_sunday_utc_as_monday_in_brussels_in_winter() -> None:
    """Sunday 23:30 UTC in November is already Monday 00:30 in Brussels, so the next week."""
    assert iso_week(datetime(2026, 11, 22, 23, 30, tzinfo=UTC)) == "2026-W48"


def test_iso_week_counts_late_sunday_utc_as_monday_in_brussels_in_summer() -> None:
    """Sunday 22:30 UTC in June is Monday 00:30 in Brussels (summer time, UTC+2)."""
    assert iso_week(datetime(2026, 6, 28, 22, 30, tzinfo=UTC)) == "2026-W27"


def test_iso_week_keeps_late_sunday_utc_in_its_week_when_brussels_is_still_sunday() -> None:
    """Sunday 22:30 UTC in November is 23:30 Sunday in Brussels, still the old week."""
    assert iso_week(datetime(2026, 11, 22, 22, 30, tzinfo=UTC)) == "2026-W47"


def test_iso_week_uses_the_given_time_zone() -> None:
    """Another time zone can put the same moment in another week."""
    moment = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)
    assert iso_week(moment, ZoneInfo("America/New_York")) == "2026-W47"


def test_iso_week_refuses_naive_datetimes() -> None:
    """A datetime without a time zone is ambiguous and refused."""
    with pytest.raises(ValueError, match="timezone-aware"):
        iso_week(datetime(2026, 11, 23, 9, 0))


@pytest.mark.parametrize(
    ("week", "monday"),
    [
        ("2026-W48", date(2026, 11, 23)),
        ("2026-W53", date(2026, 12, 28)),
        ("2027-W01", date(2027, 1, 4)),
        ("2026-W01", date(2025, 12, 29)),
    ],
)
def test_week_monday_is_the_first_day_of_the_iso_week(week: str, monday: date) -> None:
    """The Monday of an ISO week, also when it lies in the previous calendar year."""
    assert week_monday(week) == monday


@pytest.mark.parametrize("week", ["2026-48", "2026-W4", "W48", "2026-w48", "", "2026-W48 "])
def test_week_monday_refuses_text_that_is_not_an_iso_week(week: str) -> None:
    """Only "YYYY-Www" is an ISO week."""
    with pytest.raises(ValueError, match="not an ISO week"):
        week_monday(week)


def test_week_monday_refuses_a_week_53_in_a_52_week_year() -> None:
    """2027 has 52 ISO weeks, so 2027-W53 does not exist."""
    with pytest.raises(ValueError):
        week_monday("2027-W53")


@pytest.mark.parametrize(("week", "number"), [("2026-W48", 48), ("2026-W53", 53), ("2027-W01", 1)])
def test_week_number_is_the_number_within_the_iso_year(week: str, number: int) -> None:
    """The week number as shown on the card."""
    assert week_number(week) == number


def test_iso_week_and_week_monday_agree() -> None:
    """The Monday of the week a moment falls in is in that same week."""
    week = iso_week(datetime(2027, 1, 1, 12, 0, tzinfo=BRUSSELS))
    assert iso_week(datetime.combine(week_monday(week), datetime.min.time(), BRUSSELS)) == week
