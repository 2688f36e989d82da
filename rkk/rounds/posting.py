"""Use cases of the weekly round: post exactly once, resolve an uncertain post, find the open round.

Exactly once rests on three database facts: the round row is unique per (RKK, ISO week); a claim
carries its owner and a lease; and `start_sending` is a fence that lets one process, the owner,
enter the HTTP call to Teams. What happens inside that call is the one window no database can
close: if the process dies after Teams accepted the card but before the activity id is stored,
the round stays "sending". We never re-post such a round on our own (a duplicate in a channel is
what coordinators trust least); after `uncertain_after` it is flagged *uncertain*, shown in the
status with its last error, the coordinators are told in the channel, and a coordinator decides:
post anyway, or dismiss the week. A card action on the card that did land adopts it (`adopt_card`).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from rkk.errors import NoQuestionLeft, NotInstalled, PostFailed, UnknownRkk
from rkk.model import Rkk, Round, RoundState
from rkk.ports import Posted
from rkk.rounds.lifecycle import (
    DEFAULT_LEASE,
    DEFAULT_UNCERTAIN_AFTER,
    Fenced,
    Phase,
    PostUncertain,
    RoundFacts,
    Stopped,
    phase_of,
)
from rkk.rounds.ports import GuardedPublisher, Publisher, Store
from rkk.rounds.rotation import DEFAULT_REPEAT_GAP_WEEKS, choose_question
from rkk.rounds.weeks import BRUSSELS, iso_week

logger = logging.getLogger(__name__)

PROCESS_OWNER = uuid.uuid4().hex  # this process's fencing token: a restarted process is a new owner


class PostOutcome(StrEnum):
    """What `post_question` did."""

    POSTED = "posted"
    ALREADY_POSTED = "already_posted"
    IN_PROGRESS = "in_progress"
    UNCERTAIN = "uncertain"  # an earlier attempt died inside the call to Teams; a coordinator decides
    RELEASED = "released"  # not sent because this process is stopping; the next process posts it


@dataclass(frozen=True)
class PostResult:
    """The outcome and the round it concerns."""

    outcome: PostOutcome
    round: Round


@dataclass(frozen=True)
class Policy:
    """The tunables of posting; the defaults suit production."""

    owner: str = PROCESS_OWNER
    lease: timedelta = DEFAULT_LEASE
    uncertain_after: timedelta = DEFAULT_UNCERTAIN_AFTER
    repeat_gap_weeks: int = DEFAULT_REPEAT_GAP_WEEKS
    timezone: ZoneInfo = BRUSSELS


DEFAULT_POLICY = Policy()


async def post_question(
    store: Store, publisher: Publisher, rkk_key: str, now: datetime, policy: Policy = DEFAULT_POLICY
) -> PostResult:
    """Post this week's question in the RKK unless the week already has one (or had an uncertain try)."""
    started = time.monotonic()  # `now` is read just before: the guard's marks keep counting from here
    rkk = await _reachable(store, rkk_key)
    week = iso_week(now, policy.timezone)
    round_, mine = await _claim(store, rkk_key, week, now, policy)
    if not mine:
        return PostResult(await _outcome_for_other(store, round_, now, policy), round_)
    return await _send(store, publisher, rkk, round_, now, policy, started)


class Decision(StrEnum):
    """A coordinator's answer to an uncertain round."""

    POST_AGAIN = "post_again"  # the card is not in the channel: post it (accepting the small risk)
    DISMISS = "dismiss"  # leave the week as it is


async def resolve_uncertain(
    store: Store,
    publisher: Publisher,
    rkk_key: str,
    week: str,
    decision: Decision,
    now: datetime,
    policy: Policy = DEFAULT_POLICY,
) -> PostResult | None:
    """Carry out a coordinator's decision on an uncertain round; None if the round is not uncertain."""
    round_ = await store.round_for_week(rkk_key, week)
    facts = await store.round_facts(round_.id) if round_ else None
    if facts is None or phase_of(facts, now, policy.uncertain_after) is not Phase.UNCERTAIN:
        return None
    if decision is Decision.DISMISS:
        if not await store.dismiss_uncertain(facts.round.id, now):
            return None
        closed = await store.get_round(facts.round.id)
        assert closed is not None
        return PostResult(PostOutcome.IN_PROGRESS, closed)
    rkk = await _reachable(store, rkk_key)
    retaken = await store.take_over_round(facts.round.id, policy.owner, now, policy.lease, uncertain=True)
    if retaken is None:
        return None
    logger.warning("%s %s: coordinator chose to post an uncertain round again", rkk_key, week)
    return await _send(store, publisher, rkk, retaken, now, policy, time.monotonic())


async def adopt_card(store: Store, facts: RoundFacts, rkk: Rkk, conversation_id: str, now: datetime) -> Round | None:
    """A card action came from a card whose post we lost track of: that thread is the round's card.

    Only a round still waiting in "sending" or "uncertain" is adopted, and only from a thread in
    its own RKK's channel (`rkk` is the RKK of the team the action came from), so a card action can
    never move another RKK's round.
    """
    channel, _, message_id = conversation_id.partition(";messageid=")
    if facts.round.state is not RoundState.CLAIMED or facts.sending_at is None or not message_id:
        return None
    if rkk.key != facts.round.rkk_key or channel != rkk.channel_id:
        return None
    logger.warning("round %s adopted from a card action in %s", facts.round.id, conversation_id)
    return await store.finish_posted(facts.round.id, Posted(conversation_id, message_id), now)


async def open_round_instead(store: Store, round_id: object) -> Round | None:
    """For an answer to a closed round: the RKK's round that is open now (None if there is none)."""
    if not isinstance(round_id, int) or isinstance(round_id, bool):
        return None
    closed = await store.get_round(round_id)
    if closed is None:
        return None
    current = await store.latest_open_round(closed.rkk_key)
    return current if current and current.id != closed.id and current.message_id else None


async def _reachable(store: Store, rkk_key: str) -> Rkk:
    rkk = await store.get_rkk(rkk_key)
    if rkk is None:
        raise UnknownRkk(rkk_key, rkk=rkk_key)
    if not rkk.reachable:
        raise NotInstalled(rkk_key, rkk=rkk.name)
    return rkk


async def _claim(store: Store, rkk_key: str, week: str, now: datetime, policy: Policy) -> tuple[Round, bool]:
    """This week's round, and whether this call owns it (new, or taken over after a failure or a lapsed lease)."""
    existing = await store.round_for_week(rkk_key, week)
    if existing is None:
        pool = await store.rotation_pool(rkk_key)
        choice = choose_question(pool, await store.last_asked(rkk_key), week, policy.repeat_gap_weeks)
        if choice is None:
            raise NoQuestionLeft(rkk_key, rkk=rkk_key)
        claimed = await store.claim_round_as(
            rkk_key, week, choice.question, choice.source, policy.owner, now, policy.lease
        )
        if claimed is not None:
            return claimed, True
        existing = await store.round_for_week(rkk_key, week)
        if existing is None:  # pragma: no cover - a conflicting row is never deleted
            raise PostFailed("round vanished during claim")
    if existing.state in (RoundState.FAILED, RoundState.CLAIMED):
        retaken = await store.take_over_round(existing.id, policy.owner, now, policy.lease)
        if retaken is not None:
            return retaken, True
        existing = await store.get_round(existing.id) or existing
    return existing, False


async def _outcome_for_other(store: Store, round_: Round, now: datetime, policy: Policy) -> PostOutcome:
    if round_.message_id:
        return PostOutcome.ALREADY_POSTED
    facts = await store.round_facts(round_.id)
    if facts is not None and phase_of(facts, now, policy.uncertain_after) is Phase.UNCERTAIN:
        return PostOutcome.UNCERTAIN
    return PostOutcome.IN_PROGRESS


class _Guard:
    """The fence around each HTTP attempt of one round's post, and whether a request may be on the wire."""

    def __init__(self, store: Store, round_id: int, now: datetime, policy: Policy, started: float) -> None:
        self._store, self._round_id, self._now, self._policy = store, round_id, now, policy
        self._started = started  # time.monotonic() when `now` was current
        self.on_wire = False  # marked "sending" and not refused since: Teams may have the card

    def moment(self) -> datetime:
        """Now, on the clock `now` was read from (a fan-out may pace a post for minutes after it began)."""
        return self._now + timedelta(seconds=time.monotonic() - self._started)

    async def enter(self) -> bool:
        """Mark the round as being sent, at the moment it is; False if this process no longer owns it."""
        # The mark carries the real moment, so "uncertain after 15 minutes" counts from when the request went.
        self.on_wire = await self._store.start_sending(self._round_id, self._policy.owner, self.moment())
        return self.on_wire

    async def leave(self) -> None:
        """Teams refused the attempt: the claim is unsent again."""
        self.on_wire = False
        await self._store.stop_sending(self._round_id, self._policy.owner, self.moment(), self._policy.lease)

    async def release(self) -> None:
        """Nothing went out and this process stops: the claim is free for another process right away."""
        self.on_wire = False
        await self._store.stop_sending(self._round_id, self._policy.owner, self.moment(), timedelta(0))


async def _send(
    store: Store, publisher: Publisher, rkk: Rkk, round_: Round, now: datetime, policy: Policy, started: float
) -> PostResult:
    guard = _Guard(store, round_.id, now, policy, started)
    try:
        if isinstance(publisher, GuardedPublisher):
            posted = await publisher.publish_guarded(rkk, round_, guard)
        else:
            if not await guard.enter():
                raise Fenced(f"round {round_.id}")
            posted = await publisher.publish_question(rkk, round_, answer_count=0)
    except Fenced:
        logger.info("%s %s: another process took the round over", rkk.key, round_.week)
        return PostResult(PostOutcome.IN_PROGRESS, await store.get_round(round_.id) or round_)
    except Stopped:
        await guard.release()
        logger.info("%s %s: not sent, this process is stopping; the round is released", rkk.key, round_.week)
        return PostResult(PostOutcome.RELEASED, await store.get_round(round_.id) or round_)
    except asyncio.CancelledError:
        if not guard.on_wire:  # cancelled before the request went: another process may post it at once
            await asyncio.shield(guard.release())
        raise
    except PostUncertain as error:
        await store.mark_uncertain(round_.id, str(error), now)
        raise
    except PostFailed as error:
        await store.finish_failed(round_.id, str(error))
        raise
    round_ = await store.finish_posted(round_.id, posted, guard.moment())
    logger.info("posted %s week %s question %s", rkk.key, round_.week, round_.question_id)
    return PostResult(PostOutcome.POSTED, round_)
