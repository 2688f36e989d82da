"""Kennismomenten in the background: the follow-up job, and redrawing cards soon after members answer.

Answers come in bursts (an announcement in ten channels, dozens of members pressing "Ik kom"). Each
answer only marks its meeting as changed; one task per meeting then redraws every announcement card
with the latest counts, and runs again if more answers arrived meanwhile, so a burst costs a few
updates per card instead of one per answer. The follow-up job catches whatever a restart interrupted.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from rkk.meetings import FollowReport, MeetingPorts, MeetingSettings, follow_meetings, sync_cards

logger = logging.getLogger(__name__)

JOB_ID = "meetings-follow-up"
FOLLOW_EVERY = timedelta(minutes=5)
REDRAW_DELAY = 1.0  # seconds to gather a burst of answers before the cards are redrawn


class MeetingFollowUp:
    """Runs the follow-up use case: unfinished announcements, stale cards, the reminder the day before."""

    def __init__(self, ports: MeetingPorts, settings: MeetingSettings, clock: Callable[[], datetime]) -> None:
        self._ports, self._settings, self._clock = ports, settings, clock

    async def run(self) -> FollowReport:
        """One run."""
        return await follow_meetings(self._ports, self._settings, self._clock())


class CardRedraw:
    """Redraws a meeting's announcement cards shortly after it changed, one task per meeting at a time."""

    def __init__(self, ports: MeetingPorts, clock: Callable[[], datetime], delay: float = REDRAW_DELAY) -> None:
        self._ports, self._clock, self._delay = ports, clock, delay
        self._dirty: set[int] = set()
        self._tasks: dict[int, asyncio.Task[None]] = {}

    def changed(self, meeting_id: int) -> None:
        """The meeting's cards show too little now: redraw them soon."""
        self._dirty.add(meeting_id)
        if meeting_id not in self._tasks:
            task = asyncio.get_running_loop().create_task(self._redraw(meeting_id))
            self._tasks[meeting_id] = task

    async def _redraw(self, meeting_id: int) -> None:
        try:
            while meeting_id in self._dirty:
                await asyncio.sleep(self._delay)
                self._dirty.discard(meeting_id)
                try:
                    await sync_cards(self._ports, meeting_id, self._clock())
                except Exception:  # a failed redraw (database, Teams) is retried by the follow-up job
                    logger.exception("cards of meeting %s not redrawn", meeting_id)
        finally:
            self._tasks.pop(meeting_id, None)

    async def close(self) -> None:
        """Stop every pending redraw (the follow-up job finishes them after a restart)."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def add_meetings_job(scheduler: AsyncIOScheduler, follow_up: MeetingFollowUp) -> None:
    """Follow the kennismomenten every few minutes."""
    scheduler.add_job(
        follow_up.run,
        IntervalTrigger(seconds=FOLLOW_EVERY.total_seconds(), timezone=scheduler.timezone),
        id=JOB_ID,
        coalesce=True,
        max_instances=1,
        replace_existing=True,
    )
