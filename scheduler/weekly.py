"""The weekly jobs: each RKK gets its question at its configured weekday and time; a keeper step runs often.

Correctness never depends on APScheduler's own state: the jobs are derived from the config at
start-up, `post_question` claims the round in the database, and every later step (reminder,
closing, notices) is claimed there too, so a job firing in two replicas (or twice after a
restart) still acts once. What was missed while the bot was down is handled by `catch_up`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from config.rkk_config import BotConfig, Pause, Schedule
from rkk.rounds import (
    DEFAULT_POLICY,
    PauseInfo,
    PauseLookup,
    Policy,
    Publisher,
    RoundMessenger,
    StatusRow,
    Store,
    WeekTimes,
    iso_week,
    load_status,
    week_times,
)
from scheduler.fanout import DEFAULT_CONCURRENCY, FanOutReport, fan_out
from scheduler.keeper import BeforeClose, Keeper

OverrideLoader = Callable[[], Awaitable[Mapping[str, tuple[int, time]]]]

logger = logging.getLogger(__name__)

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MISFIRE_GRACE_SECONDS = 3600
DEFAULT_REMIND_DAYS_BEFORE = 2
DEFAULT_STEP_MINUTES = 5


def pause_on(config: BotConfig, rkk_key: str, day: date) -> Pause | None:
    """The pause (global or of this RKK) that covers `day`, if any."""
    own = next((rkk.pauses for rkk in config.rkks if rkk.key == rkk_key), ())
    return next((pause for pause in (*config.pauses, *own) if pause.start <= day <= pause.end), None)


def schedule_of(config: BotConfig, rkk_key: str) -> Schedule:
    """The RKK's own schedule, else the default one."""
    own = next((rkk.schedule for rkk in config.rkks if rkk.key == rkk_key), None)
    return own or config.schedule


def config_pauses(config: BotConfig) -> PauseLookup:
    """The pauses of the config file as a pause lookup."""

    async def lookup(rkk_key: str, day: date) -> PauseInfo | None:
        pause = pause_on(config, rkk_key, day)
        return PauseInfo(pause.end, pause.reason) if pause else None

    return lookup


class WeeklyPoster:
    """Posts the question of the week in every RKK that follows a schedule, and keeps the rounds going."""

    def __init__(
        self,
        store: Store,
        publisher: Publisher,
        config: BotConfig,
        clock: Callable[[], datetime],
        *,
        messenger: RoundMessenger | None = None,
        pause_of: PauseLookup | None = None,
        policy: Policy = DEFAULT_POLICY,
        remind_days_before: int = DEFAULT_REMIND_DAYS_BEFORE,
        grace: timedelta | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        overrides: OverrideLoader | None = None,
        before_close: BeforeClose | None = None,
    ) -> None:
        self._store, self._publisher, self._config, self._clock = store, publisher, config, clock
        self._load_overrides = overrides
        self._overrides: Mapping[str, tuple[int, time]] = {}
        self._pause_of = pause_of or config_pauses(config)
        self._remind_days_before = remind_days_before
        self._policy = replace(policy, timezone=config.timezone)
        self.keeper = Keeper(
            store, publisher, messenger, self.times_of, self._pause_of, self._policy, grace, concurrency, before_close
        )

    def times_of(self, rkk_key: str, week: str) -> WeekTimes:
        """When the RKK's round of `week` opens, gets its reminder and closes (a coordinator's `schema` first)."""
        schedule = schedule_of(self._config, rkk_key)
        opens = (schedule.weekday, schedule.at)
        closes = (schedule.close_weekday, schedule.close_at)
        override = self._overrides.get(rkk_key)
        if override is not None:
            opens, closes = override, shifted_close(opens, closes, override)
        return week_times(week, opens, closes, self._config.timezone, self._remind_days_before)

    async def refresh_overrides(self) -> None:
        """Reload coordinators' schedule overrides (`schema dinsdag 9:30`) from the database."""
        if self._load_overrides is not None:
            self._overrides = await self._load_overrides()

    async def post_due(self, schedule: Schedule) -> FanOutReport:
        """Post, all at once within Teams' limits, in each reachable RKK on this schedule that is not paused."""
        now = self._clock()
        today = now.astimezone(self._config.timezone).date()
        due = []
        for rkk in await self._store.list_rkks():
            if schedule_of(self._config, rkk.key) != schedule or rkk.key in self._overrides or not rkk.reachable:
                continue  # RKKs with a coordinator's own schedule are posted by the periodic step
            pause = await self._pause_of(rkk.key, today)
            if pause:
                logger.info("%s paused until %s (%s): no question", rkk.key, pause.until, pause.reason)
                continue
            due.append(rkk.key)
        k = self.keeper
        return await fan_out(self._store, self._publisher, due, now, k.messenger, self._policy, k.concurrency)

    async def catch_up(self) -> FanOutReport:
        """Run at start-up: post what was missed within the grace window, skip (and say so) what is too late."""
        report = await self.keeper.catch_up(self._clock())
        await self.step()
        return report

    async def step(self) -> None:
        """The periodic step: post rounds that are due (own schedules), flag uncertain posts, remind, close."""
        await self.refresh_overrides()
        await self.keeper.catch_up(self._clock())
        done = await self.keeper.step(self._clock())
        if done:
            logger.info("round keeper: %s", dict(done))

    async def status(self) -> list[StatusRow]:
        """This week's status row of every RKK."""
        return await load_status(self._store, self._clock(), self._pause_of, self._config.timezone)

    def week(self) -> str:
        """The current ISO week in the config's time zone."""
        return iso_week(self._clock(), self._config.timezone)


def shifted_close(opens: tuple[int, time], closes: tuple[int, time], new_open: tuple[int, time]) -> tuple[int, time]:
    """The close moment that keeps the configured round length after a new opening (at most Sunday 23:59)."""
    week_minutes = 7 * 24 * 60

    def minutes(moment: tuple[int, time]) -> int:
        return moment[0] * 1440 + moment[1].hour * 60 + moment[1].minute

    length = (minutes(closes) - minutes(opens)) % week_minutes or week_minutes
    end = min(minutes(new_open) + length, week_minutes - 1)
    return end // 1440, time((end % 1440) // 60, end % 60)


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


def add_keeper_job(scheduler: AsyncIOScheduler, poster: WeeklyPoster, minutes: int = DEFAULT_STEP_MINUTES) -> None:
    """Run the round keeper (uncertain posts, abandoned claims, reminders, closing) every few minutes."""
    scheduler.add_job(
        poster.step,
        IntervalTrigger(minutes=minutes, timezone=scheduler.timezone),
        id="round-keeper",
        coalesce=True,
        max_instances=1,
    )
