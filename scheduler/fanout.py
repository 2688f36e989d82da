"""Posting one week's question in many RKKs at once, bounded, with coordinators told what needs them.

Concurrency only fills the pipe: the shared `Pacer` inside the connector decides when each call
may go (per-channel and per-tenant windows, one back-off for everybody on 429), so raising
`concurrency` never raises the request rate above Teams' limits.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from rkk.errors import NoQuestionLeft, PostFailed, RkkError
from rkk.rounds import (
    DEFAULT_POLICY,
    Notice,
    Policy,
    PostOutcome,
    PostUncertain,
    Publisher,
    RoundMessenger,
    Stopped,
    Store,
    iso_week,
    post_question,
)

logger = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 50  # the tenant allows 50 requests a second; more in flight only queues in the pacer


@dataclass
class FanOutReport:
    """What happened per RKK in one fan-out."""

    outcomes: dict[str, str] = field(default_factory=dict)  # rkk key -> PostOutcome value or error code

    def count(self) -> Counter[str]:
        """How many RKKs ended in each outcome."""
        return Counter(self.outcomes.values())


async def fan_out(
    store: Store,
    publisher: Publisher,
    rkk_keys: Iterable[str],
    now: datetime,
    messenger: RoundMessenger | None = None,
    policy: Policy = DEFAULT_POLICY,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> FanOutReport:
    """Post this week's question in every RKK given, at most `concurrency` at a time."""
    report = FanOutReport()
    gate = asyncio.Semaphore(max(1, concurrency))
    started = time.monotonic()

    async def one(key: str) -> None:
        async with gate:
            if PostOutcome.RELEASED in report.outcomes.values():  # the process stops: claim nothing more
                report.outcomes[key] = PostOutcome.RELEASED.value
                return
            # `now` was read when the fan-out began; a post that waited for its turn starts later.
            moment = now + timedelta(seconds=time.monotonic() - started)
            report.outcomes[key] = await post_one(store, publisher, key, moment, messenger, policy)

    async with asyncio.TaskGroup() as group:
        for key in rkk_keys:
            group.create_task(one(key))
    logger.info("fan-out week %s: %s", iso_week(now, policy.timezone), dict(report.count()))
    return report


async def post_one(
    store: Store,
    publisher: Publisher,
    rkk_key: str,
    now: datetime,
    messenger: RoundMessenger | None,
    policy: Policy = DEFAULT_POLICY,
) -> str:
    """Post in one RKK; errors become an outcome code and, where coordinators must act, a notice."""
    week = iso_week(now, policy.timezone)
    try:
        result = await post_question(store, publisher, rkk_key, now, policy)
    except NoQuestionLeft as error:
        await tell_coordinators(store, messenger, rkk_key, Notice("no_question", week), now)
        return error.code
    except PostUncertain as error:
        logger.error("post for %s is uncertain: %s", rkk_key, error)
        await tell_coordinators(store, messenger, rkk_key, Notice("uncertain", week), now)
        return error.code
    except PostFailed as error:
        logger.error("post for %s failed: %s", rkk_key, error)
        return error.code
    except RkkError as error:
        logger.error("post for %s not possible: %s", rkk_key, error)
        return error.code
    return result.outcome.value


async def tell_coordinators(
    store: Store, messenger: RoundMessenger | None, rkk_key: str, notice: Notice, now: datetime
) -> bool:
    """Tell the RKK's coordinators once per week and kind (the database decides who sends); True if sent now."""
    if not await store.claim_notice(rkk_key, notice.week, notice.kind, repr(notice.params), now):
        return False
    rkk = await store.get_rkk(rkk_key)
    if messenger is None or rkk is None or not rkk.reachable:
        logger.warning("notice %s for %s week %s recorded, not sent (no channel)", notice.kind, rkk_key, notice.week)
        return False
    try:
        await messenger.notify_coordinators(rkk, notice)
    except (RkkError, Stopped) as error:  # the notice stays recorded; the status shows the situation anyway
        logger.error("notice %s for %s could not be sent: %s", notice.kind, rkk_key, error)
        return False
    await store.mark_notice_sent(rkk_key, notice.week, notice.kind, now)
    return True
