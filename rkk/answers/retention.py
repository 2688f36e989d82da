"""Retention: answers older than the configured number of months are deleted, with what was derived from them.

What a card already showed in Teams (a quote in a cross-posted rode draad) stays there as it was
posted; the bot no longer keeps it. The store walks every table derived from an answer (one list, in
`rkk/store/retention.py`), so a capability that adds such a table is covered once it is listed there.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

logger = logging.getLogger(__name__)

DEFAULT_RETENTION_MONTHS = 24


@dataclass(frozen=True)
class RetentionReport:
    """What one retention run deleted."""

    cutoff: datetime  # answers given before this moment were deleted
    answers: int = 0
    derived: Mapping[str, int] = field(default_factory=dict)  # table -> rows derived from those answers
    members: int = 0  # members left without answers, not seen since the cutoff
    themes_ended: int = 0  # themes whose every answer was deleted


class RetentionStore(Protocol):
    """Deletes old answers and everything derived from them, in one transaction."""

    async def delete_answers_before(self, cutoff: datetime, now: datetime) -> RetentionReport:
        """Delete answers given before `cutoff`, their derived rows, and members left with nothing."""
        ...


def retention_cutoff(now: datetime, months: int) -> datetime:
    """`now` minus `months` calendar months (the 31st becomes the last day of a shorter month)."""
    month_index = now.year * 12 + now.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(now.day, calendar.monthrange(year, month + 1)[1])
    return now.replace(year=year, month=month + 1, day=day)


async def apply_retention(store: RetentionStore, now: datetime, months: int) -> RetentionReport:
    """Delete what is older than the retention period; the report says what went."""
    report = await store.delete_answers_before(retention_cutoff(now, months), now)
    logger.info(
        "retention: %d answers before %s deleted, with %s; %d members, %d themes ended",
        report.answers,
        report.cutoff.date(),
        dict(report.derived),
        report.members,
        report.themes_ended,
    )
    return report
