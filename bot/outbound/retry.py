"""Retry of Bot Connector calls: exponential backoff with full jitter, honouring Retry-After.

botbuilder never retries a POST (its msrest policy excludes 429 and POST), so every
outbound call of ours goes through `call_with_retry`.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import aiohttp
from msrest.exceptions import ClientRequestError, HttpOperationError

from bot.outbound.pacing import Pacer
from rkk.ports import SendGuard
from rkk.rounds import Fenced

logger = logging.getLogger(__name__)

T = TypeVar("T")
RETRY_STATUSES = frozenset({412, 429, 502, 503, 504})
GUARD_LEAD_SECONDS = 0.1  # the longest a round is marked "sending" before its request goes


class ConnectorError(Exception):
    """Teams did not accept a call after all retries (or refused it outright)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry."""

    attempts: int = 6
    base: float = 1.0
    cap: float = 60.0
    rng: random.Random = field(default_factory=random.Random, compare=False)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number `attempt` (0-based)."""
        if retry_after is not None:
            return min(retry_after, self.cap * 5) + self.rng.uniform(0, self.base / 4)
        return self.rng.uniform(0, min(self.cap, self.base * 2**attempt))


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """The Retry-After header in seconds (delta-seconds or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:  # asctime dates and "-0000" carry no zone; HTTP dates are GMT
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


async def call_with_retry(
    pacer: Pacer,
    conversation: str,
    operation: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    what: str,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    *,
    idempotent: bool = True,
    guard: SendGuard | None = None,
    on_throttled: Callable[[], None] | None = None,
) -> T:
    """Run one Bot Connector call paced and retried; raise ConnectorError when it cannot succeed.

    A call that is not `idempotent` (a POST that creates a message) is retried only after failures
    that prove Teams did not take it (a throttling or unavailability status, a refused connection);
    after a timeout or a dropped connection it may have been posted, so OutcomeUnknown is raised
    instead of risking a duplicate. `guard` is told when each attempt starts and when it was refused;
    `on_throttled` hears of every 429, the last one included.
    """
    idempotent = idempotent and guard is None
    for attempt in range(policy.attempts):
        if guard is not None:
            # Wait until a slot is near, so that the round is marked "sending" only just before the
            # request (the mark's commit overlaps the last moments of the wait); the slot itself is
            # taken after the mark, when the request really goes.
            await pacer.ready(conversation, lead=GUARD_LEAD_SECONDS)
            if not await guard.enter():
                raise Fenced(f"{what}: another process owns this round now")
        await pacer.acquire(conversation)
        try:
            return await operation()
        except HttpOperationError as error:
            status = _status(error.response)
            if status not in RETRY_STATUSES or (not idempotent and status not in REFUSED_STATUSES):
                if not idempotent and status in RETRY_STATUSES:  # 504: the backend may have acted
                    raise OutcomeUnknown(f"{what}: Teams answered {status}; it may have been posted", status) from error
                await _refused(guard)
                raise ConnectorError(f"{what}: Teams answered {status}", status) from error
            retry_after = retry_after_seconds(_header(error.response, "Retry-After"))
            failure: Exception = error
        except (ClientRequestError, aiohttp.ClientError, TimeoutError) as error:
            if not idempotent and not _never_sent(error):
                raise OutcomeUnknown(
                    f"{what}: no answer from Teams ({_describe(error)}); it may have been posted"
                ) from error
            status, retry_after, failure = None, None, error
        await _refused(guard)
        if status == 429 and on_throttled is not None:
            on_throttled()
        if attempt + 1 == policy.attempts:
            raise ConnectorError(
                f"{what}: gave up after {policy.attempts} attempts ({_describe(failure)})", status
            ) from failure
        wait = policy.delay(attempt, retry_after)
        if status == 429:
            pacer.back_off(wait)
        logger.warning("%s: attempt %d failed (%s), retrying in %.2f s", what, attempt + 1, status or failure, wait)
        await sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


# Statuses with which Teams refuses a request without acting on it (documented as "retry").
# 504 is left out for non-idempotent calls: a gateway timeout says nothing about the backend.
REFUSED_STATUSES = frozenset({412, 429, 502, 503})


class OutcomeUnknown(ConnectorError):
    """A non-repeatable call got no answer: Teams may or may not have acted on it."""


async def _refused(guard: SendGuard | None) -> None:
    """Tell the guard that the attempt had no effect."""
    if guard is not None:
        await guard.leave()


def _never_sent(error: BaseException) -> bool:
    """Whether the failure proves the request never reached Teams (the connection was refused)."""
    seen: BaseException | None = error
    for _ in range(5):
        if seen is None:
            return False
        if isinstance(seen, aiohttp.ClientConnectorError):
            return True
        seen = getattr(seen, "inner_exception", None) or seen.__cause__ or seen.__context__
    return False


def _describe(error: BaseException) -> str:
    inner = getattr(error, "inner_exception", None)
    return f"{type(inner).__name__}: {inner}" if inner is not None else f"{type(error).__name__}: {error}"


def _status(response: Any) -> int | None:
    return getattr(response, "status_code", None) if response is not None else None


def _header(response: Any, name: str) -> str | None:
    headers = getattr(response, "headers", None) or {}
    value = headers.get(name)
    return str(value) if value is not None else None
