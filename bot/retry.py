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

from bot.pacing import Pacer

logger = logging.getLogger(__name__)

T = TypeVar("T")
RETRY_STATUSES = frozenset({412, 429, 502, 503, 504})


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
) -> T:
    """Run one Bot Connector call paced and retried; raise ConnectorError when it cannot succeed."""
    for attempt in range(policy.attempts):
        await pacer.acquire(conversation)
        try:
            return await operation()
        except HttpOperationError as error:
            status = _status(error.response)
            if status not in RETRY_STATUSES:
                raise ConnectorError(f"{what}: Teams answered {status}", status) from error
            retry_after = retry_after_seconds(_header(error.response, "Retry-After"))
            failure: Exception = error
        except (ClientRequestError, aiohttp.ClientError, TimeoutError) as error:
            status, retry_after, failure = None, None, error
        if attempt + 1 == policy.attempts:
            raise ConnectorError(f"{what}: gave up after {policy.attempts} attempts ({failure})", status) from failure
        wait = policy.delay(attempt, retry_after)
        if status == 429:
            pacer.back_off(wait)
        logger.warning("%s: attempt %d failed (%s), retrying in %.2f s", what, attempt + 1, status or failure, wait)
        await sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


def _status(response: Any) -> int | None:
    return getattr(response, "status_code", None) if response is not None else None


def _header(response: Any, name: str) -> str | None:
    headers = getattr(response, "headers", None) or {}
    value = headers.get(name)
    return str(value) if value is not None else None
