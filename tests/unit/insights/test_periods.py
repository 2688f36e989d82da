"""Periods as coordinators type them, and their weekly or monthly buckets (ISO week 53 included)."""

from __future__ import annotations

from datetime import date

import pytest

from rkk.insights import InvalidPeriod, Period, buckets, parse_period, weeks_back

TODAY = date(2026, 11, 23)  # Monday of 2026-W48


def test_nothing_typed_means_the_default() -> None:
    """`rapport` alone chooses no period: the card uses its defaults."""
    assert parse_period("  ", TODAY) is None


def test_a_year_runs_to_today() -> None:
    """`rapport 2026` is 1 January up to today."""
    assert parse_period("2026", TODAY) == Period(date(2026, 1, 1), TODAY)


def test_a_past_year_is_whole() -> None:
    """`rapport 2025` is the whole of 2025."""
    assert parse_period("2025", TODAY) == Period(date(2025, 1, 1), date(2025, 12, 31))


@pytest.mark.parametrize("text", ["sinds 1 september", "Sinds 1/9", "since 1 September", "vanaf 01-09"])
def test_since_a_day_without_year_is_its_last_occurrence(text: str) -> None:
    """`rapport sinds 1 september` in November is 1 September this year up to today."""
    assert parse_period(text, TODAY) == Period(date(2026, 9, 1), TODAY)


def test_since_a_later_day_looks_back_a_year() -> None:
    """`sinds 1 december` in November means last December."""
    assert parse_period("sinds 1 december", TODAY) == Period(date(2025, 12, 1), TODAY)


def test_a_range_with_a_day_still_to_come_ends_today() -> None:
    """`1 september tot 31 december` ends today, not last December."""
    assert parse_period("1 september tot 31 december", TODAY) == Period(date(2026, 9, 1), TODAY)


def test_a_past_range_is_kept() -> None:
    """`van 1/3 tot 31/5` is spring of this year."""
    assert parse_period("van 1/3 tot 31/5", TODAY) == Period(date(2026, 3, 1), date(2026, 5, 31))


@pytest.mark.parametrize("text", ["morgen en zo", "2030", "sinds volgende week", "sinds 31 februari"])
def test_unreadable_or_future_periods_are_refused(text: str) -> None:
    """Gibberish, a year ahead, or a start still to come raise InvalidPeriod."""
    with pytest.raises(InvalidPeriod):
        parse_period(text, TODAY)


def test_twelve_weeks_back_end_this_week() -> None:
    """The default trend is 12 ISO weeks, 2026-W37 to 2026-W48."""
    weeks = weeks_back(TODAY, 12).weeks()
    assert (len(weeks), weeks[0], weeks[-1]) == (12, "2026-W37", "2026-W48")


def test_a_year_with_week_53_has_53_weeks_and_twelve_months() -> None:
    """2026 runs from 2026-W01 to 2026-W53; per month, W53 counts in December."""
    year = Period(date(2026, 1, 1), date(2026, 12, 31))
    assert year.weeks()[0] == "2026-W01" and year.weeks()[-1] == "2026-W53" and len(year.weeks()) == 53
    months = buckets(year)
    assert [bucket.key for bucket in months] == [f"2026-{month:02d}" for month in range(1, 13)]
    assert months[-1].weeks[-1] == "2026-W53"
    assert sum(len(bucket.weeks) for bucket in months) == 53


def test_short_periods_are_weekly() -> None:
    """Up to 16 weeks the buckets are weeks, each holding itself."""
    chosen = buckets(Period(date(2026, 9, 1), TODAY))
    assert [bucket.key for bucket in chosen][:2] == ["2026-W36", "2026-W37"]
    assert all(not bucket.monthly and bucket.weeks == (bucket.key,) for bucket in chosen)
