"""The retention cutoff: calendar months back from now, the end of a month handled."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from rkk.answers import retention_cutoff


@pytest.mark.parametrize(
    ("now", "months", "cutoff"),
    [
        (datetime(2026, 12, 1, 3, 30, tzinfo=UTC), 24, datetime(2024, 12, 1, 3, 30, tzinfo=UTC)),
        (datetime(2026, 3, 31, 3, 30, tzinfo=UTC), 1, datetime(2026, 2, 28, 3, 30, tzinfo=UTC)),
        (datetime(2028, 3, 31, 3, 30, tzinfo=UTC), 1, datetime(2028, 2, 29, 3, 30, tzinfo=UTC)),
        (datetime(2026, 1, 15, 3, 30, tzinfo=UTC), 13, datetime(2024, 12, 15, 3, 30, tzinfo=UTC)),
    ],
    ids=["two-years", "31-march-to-february", "leap-year", "across-new-year"],
)
def test_cutoff_is_that_many_calendar_months_back(now: datetime, months: int, cutoff: datetime) -> None:
    """24 months before 1 December 2026 is 1 December 2024; a 31st falls back to the month's last day."""
    assert retention_cutoff(now, months) == cutoff
