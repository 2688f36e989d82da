"""Client-side pacing to Graph's documented Microsoft Teams limits, so the bot is rarely answered 429.

Microsoft Graph throttling limits, "Microsoft Teams service limits": GET channel message 20 requests a
second per app per tenant; other Teams GETs 30 (60 for /channels and /members); at most 4 requests a
second per app on a given team or channel. The limiter reserves a slot in every bucket a request
belongs to (generic cell rate algorithm), so concurrent callers never exceed any of them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GraphLimits:
    """Requests a second the bot allows itself; `share` keeps a margin below Graph's own counters."""

    messages_per_tenant: float = 20.0
    teams_per_tenant: float = 30.0
    per_team: float = 4.0
    burst_seconds: float = 1.0
    share: float = 0.95


class RateLimiter:
    """Hands out request slots so that no bucket (tenant-wide or per team) goes over its rate."""

    def __init__(
        self,
        limits: GraphLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limits = limits or GraphLimits()
        self._clock = clock
        self._sleep = sleep
        self._next: dict[str, float] = {}  # bucket -> theoretical arrival time of the next request

    async def acquire(self, team_id: str | None, *, messages: bool) -> None:
        """Wait for a slot for one request on this team (reading channel messages or not)."""
        buckets = self._buckets(team_id, messages)
        now = self._clock()
        start = now
        for key, rate in buckets:
            tolerance = max(0.0, self.limits.burst_seconds - 1.0 / rate)
            start = max(start, self._next.get(key, now) - tolerance)
        for key, rate in buckets:
            self._next[key] = max(self._next.get(key, now), start) + 1.0 / rate
        if start > now:
            await self._sleep(start - now)

    def back_off(self, team_id: str | None, seconds: float) -> None:
        """Graph said 429 for this team: keep its bucket closed for `seconds`."""
        if team_id is None or seconds <= 0:
            return
        key = f"team:{team_id}"
        self._next[key] = max(self._next.get(key, 0.0), self._clock() + seconds)

    def _buckets(self, team_id: str | None, messages: bool) -> list[tuple[str, float]]:
        share = self.limits.share
        buckets = [
            ("tenant:messages", self.limits.messages_per_tenant * share)
            if messages
            else ("tenant:teams", self.limits.teams_per_tenant * share)
        ]
        if team_id is not None:
            buckets.append((f"team:{team_id}", self.limits.per_team * share))
        return buckets
