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
from typing import TypeVar

import aiohttp

from bot.outbound.draining import Drain, SlotMissed, WireGate
from bot.outbound.pacing import Pacer
from rkk.ports import SendGuard
from rkk.rounds import Fenced, Stopped

logger = logging.getLogger(__name__)

T = TypeVar("T")
RETRY_STATUSES = frozenset({412, 429, 502, 503, 504})
SLOT_LEAD_SECONDS = 0.1  # how near a pacing slot must be before a request connects and marks its round


class ConnectorHttpError(Exception):
    """Teams answered a call with an error status."""

    def __init__(self, status: int, retry_after: str | None = None, body: str = "") -> None:
        super().__init__(f"HTTP {status} {body[:300]}".strip())
        self.status = status
        self.retry_after = retry_after


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
    operation: Callable[[WireGate], Awaitable[T]],
    policy: RetryPolicy,
    what: str,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    *,
    idempotent: bool = True,
    guard: SendGuard | None = None,
    drain: Drain | None = None,
    on_throttled: Callable[[], None] | None = None,
) -> T:
    """Run one Bot Connector call paced and retried; raise ConnectorError when it cannot succeed.

    `operation` sends the request and opens the `WireGate` it is given just before the request's
    body is written: that is when `guard` marks the round as sending and the pacing slot is taken,
    so a round is marked only when its request really goes. A call that is not `idempotent` (a POST
    that creates a message) is retried only after failures that prove Teams did not take it (a
    throttling or unavailability status, or a failure before the gate opened); after a timeout or a
    dropped connection it may have been posted, so OutcomeUnknown is raised instead of risking a
    duplicate. Once `drain` stops, no attempt starts: waits end with `Stopped`. `on_throttled` hears of
    every 429, the last one included.
    """
    drain = drain or Drain()
    idempotent = idempotent and guard is None
    attempt = 0
    while True:
        # Wait (unmarked, without a connection) until a slot is near; the gate takes it once marked.
        await drain.until_stopped(pacer.ready(conversation, lead=SLOT_LEAD_SECONDS), what)
        gate = WireGate(drain, guard, what, lambda: pacer.acquire_within(conversation, SLOT_LEAD_SECONDS))
        try:
            return await operation(gate)
        except ConnectorHttpError as error:
            status = error.status
            if status not in RETRY_STATUSES or (not idempotent and status not in REFUSED_STATUSES):
                if not idempotent and status in RETRY_STATUSES:  # 504: the backend may have acted
                    raise OutcomeUnknown(f"{what}: Teams answered {status}; it may have been posted", status) from error
                await _refused(guard, gate)
                raise ConnectorError(f"{what}: Teams answered {status}", status) from error
            retry_after = retry_after_seconds(error.retry_after)
            failure: Exception = error
        except (aiohttp.ClientError, TimeoutError, SlotMissed) as error:
            # The gate's own refusals reach us wrapped by aiohttp (they happen while it writes the body).
            if gate.stopped:
                raise Stopped(f"{what}: not sent, the process is stopping") from error
            if gate.fenced:
                raise Fenced(f"{what}: another process owns this round now") from error
            if gate.missed:  # nothing went out: take the mark back and wait for a slot again
                await _refused(guard, gate)
                continue
            if not idempotent and gate.opened and not _never_sent(error):
                raise OutcomeUnknown(
                    f"{what}: no answer from Teams ({_describe(error)}); it may have been posted"
                ) from error
            status, retry_after, failure = None, None, error
        finally:
            gate.close()
        await _refused(guard, gate)
        if status == 429 and on_throttled is not None:
            on_throttled()
        attempt += 1
        if attempt == policy.attempts:
            raise ConnectorError(
                f"{what}: gave up after {policy.attempts} attempts ({_describe(failure)})", status
            ) from failure
        wait = policy.delay(attempt - 1, retry_after)
        if status == 429:
            pacer.back_off(wait)
        logger.warning("%s: attempt %d failed (%s), retrying in %.2f s", what, attempt, status or failure, wait)
        await drain.until_stopped(sleep(wait), what)


# Statuses with which Teams refuses a request without acting on it (documented as "retry").
# 504 is left out for non-idempotent calls: a gateway timeout says nothing about the backend.
REFUSED_STATUSES = frozenset({412, 429, 502, 503})


class OutcomeUnknown(ConnectorError):
    """A non-repeatable call got no answer: Teams may or may not have acted on it."""


async def _refused(guard: SendGuard | None, gate: WireGate) -> None:
    """Tell the guard that the attempt had no effect (if it was asked to mark the round at all)."""
    if guard is not None and gate.asked:
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
