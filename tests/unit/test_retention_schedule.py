"""The retention job runs every night at 03:30 in the config's time zone, one run at a time."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from scheduler.retention import JOB_ID, RetentionJob, add_retention_job

BRUSSELS = ZoneInfo("Europe/Brussels")


def test_retention_runs_daily_at_half_past_three_in_brussels() -> None:
    """After 1 December 2026 10:00 the next run is 2 December 03:30 Brussels time."""
    scheduler = AsyncIOScheduler(timezone=BRUSSELS)
    job = RetentionJob(None, None, None, 24, lambda: datetime.now(BRUSSELS))  # type: ignore[arg-type]

    add_retention_job(scheduler, job, BRUSSELS)

    [scheduled] = scheduler.get_jobs()
    after = datetime(2026, 12, 1, 10, 0, tzinfo=BRUSSELS)
    assert scheduled.id == JOB_ID and scheduled.max_instances == 1
    assert scheduled.trigger.get_next_fire_time(None, after) == datetime(2026, 12, 2, 3, 30, tzinfo=BRUSSELS)
