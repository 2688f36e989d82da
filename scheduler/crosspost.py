"""The weekly cross-post job: after the week's rounds close, refresh themes and post new rode draden."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from rkk.crosspost import (
    CrossPostReport,
    CrossPostSettings,
    ThemePublisher,
    ThemeRepository,
    crosspost_themes,
    leased_refresh,
)
from rkk.themes import Embedder, Theme

logger = logging.getLogger(__name__)

JOB_ID = "weekly-crosspost"
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
AFTER_CLOSE = timedelta(minutes=30)  # late card answers and thread replies are in by then
MISFIRE_GRACE_SECONDS = 6 * 3600


class CrossPostJob:
    """Runs the cross-post use case with its ports; one replica at a time does the work (a lease)."""

    def __init__(
        self,
        themes: ThemeRepository,
        publisher: ThemePublisher,
        settings: CrossPostSettings,
        clock: Callable[[], datetime],
        holder: str,
        embedder: Embedder | None = None,
    ) -> None:
        self._themes, self._publisher, self._settings = themes, publisher, settings
        self._clock, self._holder, self._embedder = clock, holder, embedder

    async def run(self) -> CrossPostReport:
        """One run: refresh themes, post and update cards."""
        report = await crosspost_themes(
            self._themes, self._publisher, self._settings, self._clock(), holder=self._holder, embedder=self._embedder
        )
        logger.info(
            "cross-post: %d recurring, posted %s, updated %s, failed %s%s",
            report.recurring,
            report.posted,
            report.updated,
            report.failed,
            f", skipped ({report.skipped})" if report.skipped else "",
        )
        return report

    async def current_themes(self) -> list[Theme] | None:
        """The themes brought up to date without posting; None while a run holds the lease."""
        return await leased_refresh(
            self._themes, self._settings, self._clock(), holder=self._holder, embedder=self._embedder
        )


def weekly_slot(closes: list[tuple[int, int, int]]) -> tuple[int, int, int]:
    """(weekday, hour, minute) half an hour after the last round of the week closes."""
    weekday, hour, minute = max(closes)
    moment = datetime(2024, 1, 1 + weekday, hour, minute) + AFTER_CLOSE  # 2024-01-01 is a Monday
    return moment.weekday(), moment.hour, moment.minute


def add_crosspost_job(
    scheduler: AsyncIOScheduler,
    run: Callable[[], Awaitable[object]],
    closes: list[tuple[int, int, int]],
    timezone: ZoneInfo,
) -> None:
    """Add the weekly job to a scheduler; `closes` are the (weekday, hour, minute) the schedules close at."""
    weekday, hour, minute = weekly_slot(closes)
    scheduler.add_job(
        run,
        CronTrigger(day_of_week=DAY_NAMES[weekday], hour=hour, minute=minute, timezone=timezone),
        id=JOB_ID,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=MISFIRE_GRACE_SECONDS,
        replace_existing=True,
    )
