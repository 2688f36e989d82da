"""Whose turn it is: a job that runs on every replica does its work only on the one holding a named lease."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Protocol

logger = logging.getLogger(__name__)

Turn = Callable[[], Awaitable[bool]]  # True when this replica is the one to do the work now


class Leases(Protocol):
    """Named leases shared by the replicas (rkk.store.leases.SqlLeases)."""

    async def lease(self, name: str, holder: str, now: datetime, seconds: float) -> bool:
        """Take or renew a named lease; False while another holder has it."""
        ...


def leased_turn(leases: Leases, name: str, holder: str, clock: Callable[[], datetime], period: timedelta) -> Turn:
    """Once per `period` across replicas: the lease lasts a period, its holder renews it, others take it once lapsed."""

    async def turn() -> bool:
        return await leases.lease(name, holder, clock(), period.total_seconds())

    return turn
