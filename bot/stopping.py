"""A graceful stop of `serve` (SIGTERM): refuse new activities, start no job or send, let the wire empty.

On `stop()` the endpoint answers 503 with Retry-After (Teams and the load balancer try again later,
on this replica once it is back or on another), the scheduler starts no job, and no request to Teams
starts: a round that was claimed but not sent is released at once for the next process. Requests
already on the wire get up to `grace` seconds to finish and record their activity ids; jobs get the
same time to wind down. What is still running then is cancelled: a request cut off on the wire
leaves its round "sending", which the keeper later shows as *onzeker* (Teams may have the card).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from aiohttp import web
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_SUBMITTED, JobEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.outbound.draining import Drain

logger = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 10.0
RETRY_AFTER_SECONDS = 30
_POLL_SECONDS = 0.05


class Stopping:
    """The stop of one process: its drain, its scheduler and the tasks it waits for."""

    def __init__(self, drain: Drain, grace: float = STOP_GRACE_SECONDS) -> None:
        self._drain, self._grace = drain, grace
        self.active = False
        self._scheduler: AsyncIOScheduler | None = None
        self._running_jobs = 0
        self._tasks: set[asyncio.Task[object]] = set()

    def watch(self, scheduler: AsyncIOScheduler) -> None:
        """Pause this scheduler when stopping, and wait for its running jobs."""
        self._scheduler = scheduler
        scheduler.add_listener(self._count_job, EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)

    def track(self, task: asyncio.Task[object]) -> None:
        """Wait for this task (the catch-up at start-up) when stopping."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop(self) -> bool:
        """Stop gracefully; True if nothing was left running after the grace period."""
        if self.active:
            return True
        self.active = True
        started = time.monotonic()
        logger.info("stopping: new activities get 503, no job or send starts; up to %.0f s for the rest", self._grace)
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.pause()
        self._drain.stop()
        quiet = await self._drain.wait_idle(self._grace)
        quiet = quiet and await self._jobs_done(started + self._grace)
        if not quiet:
            logger.warning(
                "stopping: %d requests still on the wire and %d jobs running after %.0f s: cancelled "
                "(a round cut off on the wire stays 'sending' and will show as onzeker)",
                self._drain.on_wire,
                self._running_jobs + len(self._tasks),
                self._grace,
            )
        for task in list(self._tasks):
            task.cancel()
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)  # cancels the jobs still running
        logger.info("stopping: done after %.1f s", time.monotonic() - started)
        return quiet

    async def _jobs_done(self, deadline: float) -> bool:
        """Wait until no job or tracked task runs, at most until `deadline`."""
        while self._running_jobs > 0 or any(not task.done() for task in self._tasks):
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(_POLL_SECONDS)
        return True

    def _count_job(self, event: JobEvent) -> None:
        self._running_jobs += 1 if event.code == EVENT_JOB_SUBMITTED else -1


STOPPING = web.AppKey("stopping", Stopping)


@web.middleware
async def refuse_while_stopping(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """While the process stops: 503 with Retry-After for activities, and an unhealthy health check."""
    stopping = request.app.get(STOPPING)
    if stopping is None or not stopping.active:
        return await handler(request)
    if request.path == "/healthz":
        return web.json_response({"status": "stopping"}, status=503)
    body = {"error": {"status": 503, "message": "the bot is restarting; try again shortly"}}
    return web.json_response(body, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
