"""A per-member limit on typed commands, so one person (or a script) cannot keep the bot busy for everyone.

Card answers are not counted: a member editing an answer is the bot working as it should. The count
is per process; with several replicas a member gets at most that many commands a minute from each.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

logger = logging.getLogger(__name__)

COMMANDS_PER_MINUTE = 10
MAX_TRACKED = 20_000  # members counted at once; beyond that the longest-quiet ones are dropped


@dataclass(frozen=True)
class Verdict:
    """Whether a command may run, and whether the member should be told they hit the limit (once per window)."""

    allowed: bool
    tell: bool = False


class CommandRateLimit:
    """A sliding window of `limit` commands per `window` seconds for each member."""

    def __init__(
        self, limit: int = COMMANDS_PER_MINUTE, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._window = window
        self._clock = clock
        self._recent: dict[str, deque[float]] = {}
        self._told: dict[str, float] = {}

    @property
    def limit(self) -> int:
        """Commands a member may send per window."""
        return self._limit

    def check(self, member: str) -> Verdict:
        """Count one command of this member; refused beyond the limit (refusals are not counted)."""
        now = self._clock()
        recent = self._recent.pop(member, None) or deque()
        self._recent[member] = recent  # re-inserted: the dict's order is "least recently active first"
        while recent and now - recent[0] >= self._window:
            recent.popleft()
        if len(recent) < self._limit:
            recent.append(now)
            self._trim()
            return Verdict(allowed=True)
        told_at = self._told.get(member)
        tell = told_at is None or now - told_at >= self._window
        if tell:
            self._told[member] = now
            logger.info("command rate limit reached for a member (%d in %.0f s)", self._limit, self._window)
        return Verdict(allowed=False, tell=tell)

    def _trim(self) -> None:
        while len(self._recent) > MAX_TRACKED:
            quiet = next(iter(self._recent))
            del self._recent[quiet]
            self._told.pop(quiet, None)
