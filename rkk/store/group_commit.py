"""Group commit: short writes that arrive together share one transaction, so one commit (one fsync).

A fan-out marks dozens of rounds "sending" within milliseconds when Teams' window opens; on
SQLite each commit costs milliseconds and writers queue for one lock. Writes that arrive while a
batch is being committed wait for the next one, so a lone write is never delayed by a timer.

Two replicas batching the same rounds in different orders would deadlock on PostgreSQL, so each
write names the lock it takes (`order`) and a batch always runs in that order; should the database
still report a deadlock, the whole batch (rolled back as one) is run again.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

logger = logging.getLogger(__name__)

T = TypeVar("T")
Write = Callable[[AsyncConnection], Awaitable[Any]]
Order = tuple[int, str]  # (kind of lock, key): new rounds by RKK first, then existing rounds by id
UNORDERED: Order = (9, "")
_RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})  # deadlock detected, serialization failure
_ATTEMPTS = 3


class GroupCommit:
    """Runs queued writes of one engine in shared transactions, one batch at a time."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._pending: list[tuple[Order, Write, asyncio.Future[Any]]] = []
        self._draining = False

    async def run(self, write: Callable[[AsyncConnection], Awaitable[T]], order: Order = UNORDERED) -> T:
        """Run `write` in the next shared transaction and hand back its result once committed."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending.append((order, write, future))
        if not self._draining:
            self._draining = True
            asyncio.get_running_loop().create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        try:
            while self._pending:
                batch, self._pending = sorted(self._pending, key=lambda item: item[0]), []
                try:
                    results = await self._commit([write for _, write, _ in batch])
                except BaseException as error:  # every waiter gets the failure, nobody hangs
                    for _, _, future in batch:
                        if not future.done():
                            future.set_exception(error)
                    if isinstance(error, asyncio.CancelledError):
                        raise
                    continue
                for (_, _, future), result in zip(batch, results, strict=True):
                    if not future.done():
                        future.set_result(result)
        finally:
            self._draining = False

    async def _commit(self, writes: list[Write]) -> list[Any]:
        """One transaction for all writes, run again when the database broke a deadlock by aborting it."""
        for attempt in range(1, _ATTEMPTS + 1):
            try:
                async with self._engine.begin() as conn:
                    return [await write(conn) for write in writes]
            except DBAPIError as error:
                if _sqlstate(error) not in _RETRYABLE_SQLSTATES or attempt == _ATTEMPTS:
                    raise
                logger.warning("batch of %d writes hit %s; running it again", len(writes), _sqlstate(error))
        raise AssertionError("unreachable")  # pragma: no cover


def _sqlstate(error: DBAPIError) -> str | None:
    """The SQLSTATE of a driver error (asyncpg names it sqlstate), if it has one."""
    return getattr(error.orig, "sqlstate", None)


_BY_ENGINE: weakref.WeakKeyDictionary[AsyncEngine, GroupCommit] = weakref.WeakKeyDictionary()


def group_commit(engine: AsyncEngine) -> GroupCommit:
    """The group committer of an engine."""
    committer = _BY_ENGINE.get(engine)
    if committer is None:
        committer = _BY_ENGINE[engine] = GroupCommit(engine)
    return committer
