"""The weekly digest job: the global `rapport` card in RKK Overkoepelend, once a week.

It runs at the configured weekday and time, and every half hour after that as a retry and catch-up
step; the claim in the database (`post_digest`) makes the week's digest go out once, whichever run
or replica gets there first. Until the moment has come in a week, a run does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from config.rkk_config import Digest
from rkk.crosspost import InstalledTeam, resolve_umbrella
from rkk.insights import (
    RECENT_WEEKS,
    TREND_WEEKS,
    DigestClaims,
    DigestOutcome,
    DigestPublisher,
    Insights,
    InsightSource,
    Scope,
    digest_week,
    load_insights,
    post_digest,
    weeks_back,
)
from rkk.model import ChannelTarget, Rkk
from rkk.rounds import PauseLookup

logger = logging.getLogger(__name__)

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
RETRY_EVERY = timedelta(minutes=30)


class DigestJob:
    """Builds the global insights and posts them once a week through the ports."""

    def __init__(
        self,
        digest: Digest,
        timezone: ZoneInfo,
        umbrella: tuple[str, str | None],
        ports: tuple[DigestClaims, DigestPublisher, InsightSource],
        rkks: Callable[[], Awaitable[Sequence[Rkk]]],
        teams: Callable[[], Awaitable[Sequence[InstalledTeam]]],
        pause_of: PauseLookup,
        clock: Callable[[], datetime],
    ) -> None:
        self.digest, self._tz, self._umbrella = digest, timezone, umbrella
        self._claims, self._publisher, self._source = ports
        self._rkks, self._teams, self._pause_of, self._clock = rkks, teams, pause_of, clock

    async def run(self) -> DigestOutcome:
        """Post this week's digest if its moment has come and nobody posted it yet."""
        now = self._clock()
        week = digest_week(now, self._tz, self.digest.weekday, self.digest.at)
        if week is None:
            return DigestOutcome.NOT_DUE
        today = now.astimezone(self._tz).date()
        return await post_digest(self._claims, self._publisher, self._target, lambda: self._build(today), week, now)

    async def _target(self) -> ChannelTarget | None:
        team, channel = self._umbrella
        return resolve_umbrella(await self._teams(), team, channel)

    async def _build(self, today: date) -> Insights:
        rkks = await self._rkks()
        paused = {}
        for rkk in rkks:
            pause = await self._pause_of(rkk.key, today)
            if pause is not None:
                paused[rkk.key] = pause.until
        scope = Scope({rkk.key: rkk.name for rkk in rkks}, everything=True)
        return await load_insights(
            self._source, scope, weeks_back(today, TREND_WEEKS), weeks_back(today, RECENT_WEEKS), paused=paused
        )


def add_digest_job(scheduler: AsyncIOScheduler, job: DigestJob | None) -> None:
    """Run the digest at its weekday and time, and every half hour as retry and catch-up; say so when off."""
    if job is None:
        logger.info("weekly digest off (set `digest` and `overkoepelend` in the config)")
        return
    scheduler.add_job(
        job.run,
        CronTrigger(
            day_of_week=DAY_NAMES[job.digest.weekday],
            hour=job.digest.at.hour,
            minute=job.digest.at.minute,
            timezone=scheduler.timezone,
        ),
        id="weekly-digest",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(RETRY_EVERY.total_seconds()),
    )
    scheduler.add_job(
        job.run,
        IntervalTrigger(seconds=RETRY_EVERY.total_seconds(), timezone=scheduler.timezone),
        id="weekly-digest-retry",
        coalesce=True,
        max_instances=1,
    )
