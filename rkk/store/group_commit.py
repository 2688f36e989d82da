"""Group commit: short writes that arrive together share one transaction, so one commit (one fsync).

A fan-out marks dozens of rounds "sending" within milliseconds when Teams' window opens; on
SQLite each commit costs milliseconds and writers queue for one lock. Writes that arrive while a
batch is being committed wait for the next one, so a lone write is never delayed by a timer.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

logger = logging.getLogger(__name__)

T = TypeVar("T")
Write = Callable[[AsyncConnection], Awaitable[Any]]


class GroupCommit:
    """Runs queued writes of one engine in shared transactions, one batch at a time."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._pending: list[tuple[Write, asyncio.Future[Any]]] = []
        self._draining = False

    async def run(self, write: Callable[[AsyncConnection], Awaitable[T]]) -> T:
        """Run `write` in the next shared transaction and hand back its result once committed."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending.append((write, future))
        if not self._draining:
            self._draining = True
            asyncio.get_running_loop().create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                try:
                    async with self._engine.begin() as conn:
                        results = [await write(conn) for write, _ in batch]
                except BaseException as error:  # every waiter gets the failure, nobody hangs
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(error)
                    if isinstance(error, asyncio.CancelledError):
                        raise
                    continue
                for (_, future), result in zip(batch, results, strict=True):
                    if not future.done():
                        future.set_result(result)
        finally:
            self._draining = False


_BY_ENGINE: weakref.WeakKeyDictionary[AsyncEngine, GroupCommit] = weakref.WeakKeyDictionary()


def group_commit(engine: AsyncEngine) -> GroupCommit:
    """The group committer of an engine."""
    committer = _BY_ENGINE.get(engine)
    if committer is None:
        committer = _BY_ENGINE[engine] = GroupCommit(engine)
    return committer
