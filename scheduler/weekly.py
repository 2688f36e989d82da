"""The weekly posting job: each RKK gets its question at its configured weekday and time.

Correctness never depends on APScheduler's own state: the jobs are derived from the config at
start-up, and `post_question` claims the round in the database, so a job firing in two replicas
(or twice after a restart) still posts once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from config.rkk_config import BotConfig, Pause, Schedule
from rkk.errors import RkkError
from rkk.ports import Publisher, Store
from rkk.rounds import post_question

logger = logging.getLogger(__name__)

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MISFIRE_GRACE_SECONDS = 3600


def pause_on(config: BotConfig, rkk_key: str, day: date) -> Pause | None:
    """The pause (global or of this RKK) that covers `day`, if any."""
    own = next((rkk.pauses for rkk in config.rkks if rkk.key == rkk_key), ())
    return next((pause for pause in (*config.pauses, *own) if pause.start <= day <= pause.end), None)


def schedule_of(config: BotConfig, rkk_key: str) -> Schedule:
    """The RKK's own schedule, else the default one."""
    own = next((rkk.schedule for rkk in config.rkks if rkk.key == rkk_key), None)
    return own or config.schedule


class WeeklyPoster:
    """Posts the question of the week in every RKK that follows a given schedule."""

    def __init__(self, store: Store, publisher: Publisher, config: BotConfig, clock: Callable[[], datetime]) -> None:
        self._store, self._publisher, self._config, self._clock = store, publisher, config, clock

    async def post_due(self, schedule: Schedule) -> None:
        """Post in each reachable RKK on this schedule that is not paused today."""
        now = self._clock()
        today = now.astimezone(self._config.timezone).date()
        for rkk in await self._store.list_rkks():
            if schedule_of(self._config, rkk.key) != schedule or not rkk.reachable:
                continue
            pause = pause_on(self._config, rkk.key, today)
            if pause:
                logger.info("%s paused until %s (%s): no question", rkk.key, pause.end, pause.reason)
                continue
            try:
                result = await post_question(self._store, self._publisher, rkk.key, now)
            except RkkError as error:
                logger.error("weekly post for %s failed: %s", rkk.key, error)
                continue
            logger.info("weekly post for %s: %s", rkk.key, result.outcome)


def build_scheduler(config: BotConfig, poster: WeeklyPoster) -> AsyncIOScheduler:
    """One cron job per distinct schedule, in the config's time zone (daylight saving included)."""
    scheduler = AsyncIOScheduler(timezone=config.timezone)
    schedules = {config.schedule, *(rkk.schedule for rkk in config.rkks if rkk.schedule)}
    for index, schedule in enumerate(sorted(schedules, key=lambda s: (s.weekday, s.at))):
        trigger = CronTrigger(
            day_of_week=DAY_NAMES[schedule.weekday],
            hour=schedule.at.hour,
            minute=schedule.at.minute,
            timezone=config.timezone,
        )
        scheduler.add_job(
            poster.post_due,
            trigger,
            args=[schedule],
            id=f"weekly-post-{index}",
            coalesce=True,
            max_instances=1,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
        )
    return scheduler
