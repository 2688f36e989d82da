"""Pacing of Bot Connector calls to Teams' documented rate limits, with one shared back-off."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Window:
    """At most `limit` calls in any `seconds`-long sliding window."""

    limit: int
    seconds: float


# Teams: per bot per conversation (thread) for sends and create-conversation.
PER_CONVERSATION = (Window(7, 1.0), Window(8, 2.0), Window(60, 30.0), Window(1800, 3600.0))
# Teams: per app per tenant, all requests.
PER_TENANT = (Window(50, 1.0),)


class _Log:
    """Timestamps of recent calls, checked against several windows."""

    def __init__(self, windows: tuple[Window, ...]) -> None:
        self.windows = windows
        self.times: deque[float] = deque(maxlen=max(w.limit for w in windows))

    def wait(self, now: float, margin: float = 0.0) -> float:
        """Seconds until one more call fits every window (each window `margin` seconds longer)."""
        longest = 0.0
        for window in self.windows:
            if len(self.times) >= window.limit:
                oldest_in_window = self.times[-window.limit]
                longest = max(longest, oldest_in_window + window.seconds + margin - now)
        return longest


class Pacer:
    """Hands out call slots so no window is exceeded; `back_off` pauses every caller at once."""

    def __init__(
        self,
        per_conversation: tuple[Window, ...] = PER_CONVERSATION,
        overall: tuple[Window, ...] = PER_TENANT,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        margin: float = 0.0,
    ) -> None:
        # `margin` stretches every window a little: our clock starts when a slot is granted, Teams'
        # when the request arrives, and the time in between varies (serialisation, connection set-up).
        self._margin = margin
        self._per_conversation = per_conversation
        self._overall = _Log(overall)
        self._conversations: dict[str, _Log] = {}
        self._clock = clock
        self._sleep = sleep
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self, conversation: str) -> None:
        """Wait until a call to this conversation is allowed, then count it."""
        await self._wait(conversation, take=True)

    async def acquire_within(self, conversation: str, within: float) -> bool:
        """Count a call if it is allowed within `within` seconds (waiting that long at most); else False, uncounted."""
        return await self._wait(conversation, take=True, limit=within)

    async def ready(self, conversation: str, lead: float = 0.0) -> None:
        """Wait until a call is at most `lead` seconds away, without counting it (`acquire` counts)."""
        await self._wait(conversation, take=False, lead=lead)

    async def _wait(self, conversation: str, take: bool, lead: float = 0.0, limit: float | None = None) -> bool:
        deadline = None if limit is None else self._clock() + limit
        while True:
            async with self._lock:
                now = self._clock()
                log = self._conversations.setdefault(conversation, _Log(self._per_conversation))
                wait = max(self._paused_until - now, log.wait(now, self._margin), self._overall.wait(now, self._margin))
                if wait <= lead:
                    if take:
                        log.times.append(now)
                        self._overall.times.append(now)
                    return True
                if deadline is not None and now + wait > deadline:
                    return False
            await self._sleep(wait)

    def back_off(self, seconds: float) -> None:
        """Teams throttled us: nobody sends for `seconds`, so a burst does not become a retry storm."""
        until = self._clock() + seconds
        if until > self._paused_until:
            logger.warning("Teams throttled: pausing all sends for %.1f s", seconds)
            self._paused_until = until


# The margin production should use (see `Pacer`): measured against the connector double, 50 ms
# absorbs the spread between granting a slot and the request reaching the server.
PACING_MARGIN = 0.05
