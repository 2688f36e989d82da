"""Job metrics: one scheduler listener times every job run, counts its outcome and keeps its last success.

A listener rather than a wrapper around each job, so that jobs other modules add (now or later, before or
after the scheduler starts) are all measured the same way without touching them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
    JobEvent,
    JobExecutionEvent,
)
from apscheduler.schedulers.base import BaseScheduler

from observability.metrics import Metrics, job_family

logger = logging.getLogger(__name__)


def watch_jobs(
    scheduler: BaseScheduler,
    metrics: Metrics,
    timer: Callable[[], float] = time.monotonic,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> None:
    """Count, time and date every run of every job of `scheduler` in `metrics`."""
    started: dict[str, float] = {}

    def on_event(event: JobEvent) -> None:
        job = job_family(event.job_id)
        if event.code == EVENT_JOB_SUBMITTED:
            started[event.job_id] = timer()
        elif event.code == EVENT_JOB_MISSED:
            metrics.job_missed(job)
        elif isinstance(event, JobExecutionEvent):
            seconds = timer() - started.pop(event.job_id, timer())
            metrics.job_finished(job, event.exception is None, seconds, clock())

    scheduler.add_listener(on_event, EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED | EVENT_JOB_ERROR | EVENT_JOB_MISSED)
