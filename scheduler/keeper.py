"""The round keeper: catch-up at start-up and the periodic step that reminds, closes and flags rounds.

Every step is claimed in the database first (a conditional UPDATE or a unique notice row), so
several replicas running the same job, or a restart in the middle, do each step once. Reminders
and notices are at most once (claimed, then sent: a lost one is harmless, a double one is noise);
closing the card is a PUT and is repeated until it gets through.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from rkk.errors import PostFailed
from rkk.model import Rkk
from rkk.rounds import (
    DEFAULT_POLICY,
    CatchUp,
    Due,
    Notice,
    PauseLookup,
    Policy,
    PostOutcome,
    Publisher,
    RoundFacts,
    RoundMessenger,
    Stopped,
    Store,
    WeekTimes,
    catch_up,
    due,
    iso_week,
)
from scheduler.fanout import DEFAULT_CONCURRENCY, FanOutReport, fan_out, post_one, tell_coordinators

logger = logging.getLogger(__name__)

TimesOf = Callable[[str, str], WeekTimes]  # (rkk key, ISO week) -> that week's moments for the RKK
BeforeClose = Callable[[int], Awaitable[object]]  # given a round id: the last harvest of its thread


@dataclass(frozen=True)
class Keeper:
    """The parts and settings the lifecycle jobs share."""

    store: Store
    publisher: Publisher
    messenger: RoundMessenger | None
    times_of: TimesOf
    pause_of: PauseLookup
    policy: Policy = DEFAULT_POLICY
    grace: timedelta | None = None  # None: the rest of the opening day
    concurrency: int = DEFAULT_CONCURRENCY
    before_close: BeforeClose | None = None  # None: no Graph, the answers in the store are all there is

    async def catch_up(self, now: datetime) -> FanOutReport:
        """At start-up: post missed rounds still within the grace window; skip older ones and say so."""
        week = iso_week(now, self.policy.timezone)
        missed = []
        for rkk in await self.store.list_rkks():
            if not rkk.reachable or await self.store.round_for_week(rkk.key, week) is not None:
                continue
            times = self.times_of(rkk.key, week)
            pause = await self.pause_of(rkk.key, times.opens.date())
            if pause is not None:
                logger.info("%s paused until %s (%s): nothing to catch up", rkk.key, pause.until, pause.reason)
                continue
            decision = catch_up(times, now, self.grace)
            if decision is CatchUp.POST:
                logger.warning("%s: the post of %s was missed; posting it now", rkk.key, week)
                missed.append(rkk.key)
            elif decision is CatchUp.SKIP:
                logger.warning("%s: the post of %s was missed too long ago; skipping the week", rkk.key, week)
                await tell_coordinators(self.store, self.messenger, rkk.key, Notice("skipped", week), now)
        return await fan_out(self.store, self.publisher, missed, now, self.messenger, self.policy, self.concurrency)

    async def step(self, now: datetime) -> Counter[str]:
        """One pass over the unfinished rounds: each gets the step it is due for."""
        done: Counter[str] = Counter()
        for facts in await self.store.active_round_facts():
            rkk = await self.store.get_rkk(facts.round.rkk_key)
            if rkk is None or not rkk.reachable:
                continue
            times = self.times_of(rkk.key, facts.round.week)
            action = due(facts, times, now, self.policy.uncertain_after)
            try:
                if action is not Due.NOTHING and await self._do(action, rkk, facts, times, now):
                    done[action.value] += 1
            except Stopped:  # the next process (or replica) takes the step up again
                logger.info("round keeper: this process is stopping; the remaining steps wait")
                break
        return done

    async def _do(self, action: Due, rkk: Rkk, facts: RoundFacts, times: WeekTimes, now: datetime) -> bool:
        round_, store = facts.round, self.store
        if action is Due.FLAG_UNCERTAIN:
            error = round_.last_error or "proces stopte tijdens het posten; onbekend of Teams de kaart plaatste"
            if not await store.mark_uncertain(round_.id, error, now):
                return False
            await tell_coordinators(store, self.messenger, rkk.key, Notice("uncertain", round_.week), now)
            return True
        if action is Due.RESUME:
            if (
                round_.week != iso_week(now, self.policy.timezone)
                or catch_up(times, now, self.grace) is not CatchUp.POST
            ):
                return False
            outcome = await post_one(store, self.publisher, rkk.key, now, self.messenger, self.policy)
            if outcome == PostOutcome.RELEASED:
                raise Stopped(f"{rkk.key}: not posted, the process is stopping")
            return outcome == PostOutcome.POSTED
        if self.messenger is None:
            return False
        if action is Due.REMIND:
            if not await store.claim_reminder(round_.id, now):
                return False
            try:
                message_id = await self.messenger.remind(rkk, round_, await store.count_answers(round_.id))
            except PostFailed as error:  # at most once: the reminder is not tried again
                await store.set_round_error(round_.id, f"herinnering: {error}")
                return False
            await store.set_reminder_message(round_.id, message_id)
            return True
        if action is Due.CLOSE:
            if self.before_close is not None:
                # Replies written since the last periodic harvest count too: read the thread once more.
                await self.before_close(round_.id)
            count = await store.close_round(round_.id, now)
            return count is not None and await self._close_card(rkk, facts, count, now)
        return await self._close_card(rkk, facts, facts.final_count or 0, now)  # Due.CLOSE_CARD

    async def _close_card(self, rkk: Rkk, facts: RoundFacts, count: int, now: datetime) -> bool:
        assert self.messenger is not None
        try:
            await self.messenger.close_card(rkk, facts.round, count)
        except PostFailed as error:  # the next step tries again (a PUT may be repeated)
            await self.store.set_round_error(facts.round.id, f"kaart afsluiten: {error}")
            return False
        await self.store.mark_card_closed(facts.round.id, now)
        return True
