"""The scoring round's job: every minute (and right after a start, close or extension) one keeper step.

The step posts missing ballots, sends the reminder three days before the deadline, closes the round
at its deadline and posts the results; each part is claimed in the database, so the job running in
two replicas, or twice after a restart, still does each once (see rkk/scoring/lifecycle.py). A
minute's interval puts the close within a minute of the deadline; scores are refused from the
deadline itself, whether the step ran or not.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from rkk.scoring import Scoring, keep_scoring

logger = logging.getLogger(__name__)

STEP_SECONDS = 60


class ScoringJob:
    """Runs the scoring step, one at a time in this process, on schedule or when kicked."""

    def __init__(self, scoring: Scoring, clock: Callable[[], datetime]) -> None:
        self._scoring = scoring
        self._clock = clock
        self._lock = asyncio.Lock()
        self._pending: set[asyncio.Task[None]] = set()

    async def step(self) -> Counter[str]:
        """One keeper step now; what it did."""
        async with self._lock:
            done = await keep_scoring(self._scoring, self._clock())
        if done:
            logger.info("scoring keeper: %s", dict(done))
        return done

    def kick(self) -> None:
        """Run a step soon in the background, so ballots or results need not wait for the next minute."""
        task = asyncio.get_running_loop().create_task(self._kicked())
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def drain(self) -> None:
        """Wait for the steps that were kicked (the command line and tests wait before they stop)."""
        while self._pending:
            await asyncio.gather(*self._pending)

    async def stop(self) -> None:
        """Cancel kicked steps (at shutdown: a card being sent then is handled like a crash, never re-posted)."""
        for task in list(self._pending):
            task.cancel()
        await asyncio.gather(*self._pending, return_exceptions=True)

    async def _kicked(self) -> None:
        try:
            await self.step()
        except Exception:  # a background step must not die silently; the next minute retries
            logger.exception("scoring step failed")


def add_scoring_job(scheduler: AsyncIOScheduler, job: ScoringJob, seconds: int = STEP_SECONDS) -> None:
    """Run the scoring step every `seconds`."""
    scheduler.add_job(
        job.step,
        IntervalTrigger(seconds=seconds, timezone=scheduler.timezone),
        id="scoring-keeper",
        coalesce=True,
        max_instances=1,
    )
