"""The harvest job: every so often (default 15 minutes) read the replies of every open round through Graph.

Correctness does not depend on the job running once: answers are keyed by message id, so two replicas
harvesting the same thread, or the job overlapping the last harvest at closing time, store each reply once.
Cost does: each replica runs the job, and only the one holding the "harvest" lease (one interval long,
renewed by its holder) reads Graph, so the threads are read once per interval however many replicas run.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Collection, Mapping
from datetime import datetime, timedelta
from typing import Protocol

from apscheduler.job import Job
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import SQLAlchemyError

from bot.graph.harvest import HarvestReport, OpenRound, harvest, harvest_round
from bot.graph.port import GraphPort
from config.settings import SettingsError
from rkk.answers import ReplySink
from rkk.store.rounds import RoundThread, ThreadRounds
from scheduler.turns import Leases, Turn, leased_turn

logger = logging.getLogger(__name__)

DEFAULT_INTERVAL = timedelta(minutes=15)
HARVEST_JOB_ID = "harvest-replies"
HARVEST_LEASE = "harvest"
INTERVAL_VARIABLE = "RKKBOT_HARVEST_MINUTES"


def harvest_turn(leases: Leases, holder: str, clock: Callable[[], datetime], interval: timedelta) -> Turn:
    """One harvest per interval across replicas (see `leased_turn`)."""
    return leased_turn(leases, HARVEST_LEASE, holder, clock, interval)


class HarvestLog(Protocol):
    """Where a harvest's failures become each round's last error, as `status` shows it."""

    async def note_harvest(self, failed: Mapping[int, str], harvested: Collection[int]) -> None:
        """Record why rounds failed; clear the harvest error of rounds that were read."""
        ...


class ReplyHarvester:
    """Harvests the threads of open rounds into the answers, and one round on demand when it closes."""

    def __init__(
        self,
        graph: GraphPort,
        sink: ReplySink,
        threads: ThreadRounds,
        domains: Mapping[str, str],
        log: HarvestLog | None = None,
        turn: Turn | None = None,
    ) -> None:
        self._graph, self._sink, self._threads, self._domains = graph, sink, threads, domains
        self._log, self._turn = log, turn

    async def harvest_open_rounds(self) -> HarvestReport:
        """Harvest every posted round; failures are logged, shown by `status`, and resume on the next run."""
        rounds = [_open_round(thread) for thread in await self._threads.open_threads()]
        report = await harvest(self._graph, self._sink, rounds, self._domains)
        await self._record(report, [r.round_id for r in rounds])
        _log(report, "harvest")
        return report

    async def harvest_round_now(self, round_id: int) -> HarvestReport:
        """Harvest one round to its last page, whatever its state: call it just before the round closes."""
        thread = await self._threads.thread_of(round_id)
        if thread is None:
            logger.warning("round %s: no thread to harvest (not posted, or team group id unknown)", round_id)
            return HarvestReport()
        round_ = _open_round(thread)
        resumed = await self._sink.harvest_cursor(round_id) is not None
        report = await harvest_round(self._graph, self._sink, round_, self._domains)
        if resumed and not report.failed:
            # A resumed harvest starts mid-thread; read once more from the top so nothing newer is missed.
            report.add(await harvest_round(self._graph, self._sink, round_, self._domains))
        await self._record(report, [round_id])
        _log(report, f"last harvest of round {round_id}")
        return report

    async def _record(self, report: HarvestReport, round_ids: list[int]) -> None:
        """One log line when Graph gave no token at all; each round's last error for `status`."""
        if report.no_token is not None:
            logger.error("harvest: %d rounds not read: %s", len(report.failed), report.no_token)
        if self._log is not None:
            await self._log.note_harvest(report.failed, [i for i in round_ids if i not in report.failed])

    async def run_job(self) -> None:
        """The scheduled job: harvest if it is this replica's turn; log instead of raising when the database fails."""
        try:
            if self._turn is not None and not await self._turn():
                logger.info("harvest: another replica harvests in this interval")
                return
            await self.harvest_open_rounds()
        except* SQLAlchemyError as group:
            logger.error("harvest stopped by a database error: %s", group.exceptions[0])


def add_harvest_job(
    scheduler: AsyncIOScheduler, harvester: ReplyHarvester, interval: timedelta = DEFAULT_INTERVAL
) -> Job:
    """Add the harvest job to the scheduler: one run at a time, missed runs folded into one."""
    if interval <= timedelta(0):
        raise ValueError(f"harvest interval must be positive, not {interval}")
    job: Job = scheduler.add_job(
        harvester.run_job,
        IntervalTrigger(seconds=interval.total_seconds()),
        id=HARVEST_JOB_ID,
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(interval.total_seconds()),
    )
    return job


def schedule_harvest(
    scheduler: AsyncIOScheduler, harvester: ReplyHarvester | None, interval: timedelta = DEFAULT_INTERVAL
) -> Job | None:
    """Add the harvest job, or log that the harvest is off because Microsoft Graph is not configured."""
    if harvester is None:
        logger.info("harvest of thread replies is off: Microsoft Graph is not configured (no AZURE_* credentials)")
        return None
    return add_harvest_job(scheduler, harvester, interval)


def interval_from_env(env: Mapping[str, str]) -> timedelta:
    """The harvest interval in minutes from RKKBOT_HARVEST_MINUTES (default 15, at least 1)."""
    raw = env.get(INTERVAL_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_INTERVAL
    try:
        minutes = float(raw)
    except ValueError as e:
        raise SettingsError(INTERVAL_VARIABLE, f"must be a number of minutes, not {raw!r}") from e
    if not math.isfinite(minutes) or minutes < 1:
        raise SettingsError(INTERVAL_VARIABLE, f"must be at least 1 minute, not {raw!r}")
    return timedelta(minutes=minutes)


def _open_round(thread: RoundThread) -> OpenRound:
    return OpenRound(thread.round_id, thread.group_id, thread.channel_id, thread.message_id)


def _log(report: HarvestReport, what: str) -> None:
    logger.info(
        "%s: %d rounds, %d pages, %d added, %d updated, %d hidden, %d failed",
        what,
        report.rounds,
        report.pages,
        report.added,
        report.updated,
        report.hidden,
        len(report.failed),
    )
