"""The daily retention job: delete answers older than the configured months, and say so in the audit log."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from i18n.catalog import Catalog
from rkk.answers import RetentionReport, RetentionStore, apply_retention
from rkk.model import AuditEntry
from scheduler.turns import Turn

logger = logging.getLogger(__name__)

JOB_ID = "daily-retention"
RETENTION_LEASE = "retention"
ONCE_A_DAY = timedelta(hours=23)  # the lease: one run a day across replicas, whatever their clocks' jitter
RUN_AT = (3, 30)  # hour and minute in the config's time zone: a quiet moment
ACTOR_ID = "rkkbot"  # the audit log's actor for what the bot does by itself


class AuditLog(Protocol):
    """Where the run is recorded (rkk.store.admin_store.AdminStore)."""

    async def record(self, entry: AuditEntry) -> None:
        """Write one audit entry."""
        ...


class RetentionJob:
    """Deletes what is past the retention period once a day, and records every run in the audit log."""

    def __init__(
        self,
        store: RetentionStore,
        audit: AuditLog,
        texts: Catalog,
        months: int,
        clock: Callable[[], datetime],
        turn: Turn | None = None,
    ) -> None:
        self._store, self._audit, self._texts, self._months = store, audit, texts, months
        self._clock, self._turn = clock, turn

    async def run(self) -> RetentionReport | None:
        """One run; None when another replica ran it today."""
        if self._turn is not None and not await self._turn():
            logger.info("retention: another replica ran it today")
            return None
        now = self._clock()
        report = await apply_retention(self._store, now, self._months)
        say = self._texts.text
        derived = ", ".join(f"{table} {count}" for table, count in sorted(report.derived.items())) or "-"
        detail = say(
            "retention_audit",
            months=self._months,
            cutoff=report.cutoff.date().isoformat(),
            answers=report.answers,
            derived=derived,
            members=report.members,
            themes=report.themes_ended,
        )
        await self._audit.record(AuditEntry(now, ACTOR_ID, say("retention_actor"), "retentie", None, detail, None))
        return report


def add_retention_job(scheduler: AsyncIOScheduler, job: RetentionJob, timezone: ZoneInfo) -> None:
    """Run the retention every day at 03:30 in the config's time zone."""
    scheduler.add_job(
        job.run,
        CronTrigger(hour=RUN_AT[0], minute=RUN_AT[1], timezone=timezone),
        id=JOB_ID,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=6 * 3600,
        replace_existing=True,
    )
