"""Stopping outbound sends: none starts once the process stops, and those on the wire may finish.

`WireGate` marks the one moment that matters for exactly-once: the request's connection is open and
its body is about to be written. Before it, nothing can have reached Teams, so a stopping process
gives the round back (`Stopped`); after it, Teams may have the card, so the request is left to finish
and record its id (`Drain.wait_idle`), or, if it cannot within the grace period, the round stays
"sending" and ends *onzeker*.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from rkk.ports import SendGuard
from rkk.rounds import Fenced, Stopped

logger = logging.getLogger(__name__)

T = TypeVar("T")


class SlotMissed(Exception):
    """The pacing slot a request waited for went to another request: it was not sent, and waits again."""


class Drain:
    """Whether sends may still start, and how many requests are on the wire."""

    def __init__(self) -> None:
        self._stopping = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._on_wire = 0

    @property
    def stopping(self) -> bool:
        """True once `stop` was called."""
        return self._stopping.is_set()

    @property
    def on_wire(self) -> int:
        """Requests whose body went out and whose answer has not been read yet."""
        return self._on_wire

    def stop(self) -> None:
        """From now on no request starts; waits in the pacer or between retries end with `Stopped`."""
        if not self.stopping:
            logger.info("outbound sends stop; %d requests on the wire may finish", self._on_wire)
        self._stopping.set()

    def check(self, what: str) -> None:
        """Raise `Stopped` when the process is stopping."""
        if self.stopping:
            raise Stopped(f"{what}: not sent, the process is stopping")

    async def until_stopped(self, waiting: Awaitable[T], what: str) -> T:
        """Wait for `waiting` (a pacer slot, a back-off), or raise `Stopped` as soon as the process stops."""
        if self.stopping:
            if asyncio.iscoroutine(waiting):
                waiting.close()  # never started: close it rather than leave it unawaited
            self.check(what)
        task = asyncio.ensure_future(waiting)
        stopper = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait((task, stopper), return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopper.cancel()
            if not task.done():
                task.cancel()
        if not task.done() or task.cancelled():
            raise Stopped(f"{what}: not sent, the process is stopping")
        return task.result()

    async def wait_idle(self, seconds: float) -> bool:
        """Wait until no request is on the wire, at most `seconds`; True if none is left."""
        try:
            async with asyncio.timeout(seconds):
                await self._idle.wait()
        except TimeoutError:
            return False
        return True

    def went(self) -> None:
        """A request's body went on the wire."""
        self._on_wire += 1
        self._idle.clear()

    def answered(self) -> None:
        """A request on the wire was answered, failed or was cut off."""
        self._on_wire -= 1
        if self._on_wire == 0:
            self._idle.set()


class WireGate:
    """One attempt of one request: opened by the sender when the connection is ready and the body is next.

    Opening marks the round (the guard), then takes the pacing slot: Teams counts a request when it
    arrives, so the slot is taken right before the body is written, after the mark's commit, whatever
    that commit cost. The caller waited beforehand until a slot was near (`Pacer.ready`); if the slot
    is not there within a moment after all (another request took it, or Teams throttled everyone),
    the gate gives up (`missed`) and the caller takes the mark back and waits unmarked again.
    """

    def __init__(self, drain: Drain, guard: SendGuard | None, what: str, pace: Callable[[], Awaitable[bool]]) -> None:
        self._drain, self._guard, self._what, self._pace = drain, guard, what, pace
        self.missed = False  # no pacing slot came in time: nothing was sent
        self.asked = False  # the guard was asked to mark the round (its answer may not have come back)
        self.opened = False  # the body is being written: Teams may act on the request from here on
        self.stopped = False
        self.fenced = False
        self._counted = False

    async def open(self) -> None:
        """Let the body go: unless the process stops, or the round's fence says another process owns it."""
        try:
            self._drain.check(self._what)
        except Stopped:
            self.stopped = True
            raise
        if self._guard is not None:
            self.asked = True
            if not await self._guard.enter():
                self.fenced = True
                raise Fenced(f"{self._what}: another process owns this round now")
        try:
            slot = await self.until_stopped_or(self._pace())
        except Stopped:
            self.stopped = True
            raise
        if not slot:
            self.missed = True
            raise SlotMissed(f"{self._what}: no pacing slot in time; waiting again")
        self.opened = self._counted = True
        self._drain.went()

    async def until_stopped_or(self, waiting: Awaitable[T]) -> T:
        """Wait for `waiting` unless the process stops first (`Stopped`)."""
        return await self._drain.until_stopped(waiting, self._what)

    def close(self) -> None:
        """The attempt is over (answered, failed or cancelled)."""
        if self._counted:
            self._counted = False
            self._drain.answered()
