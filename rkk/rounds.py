"""Use case: put this week's question out in one RKK, exactly once per week."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from rkk.errors import NoQuestionLeft, NotInstalled, PostFailed, UnknownRkk
from rkk.model import Round, RoundState
from rkk.ports import Publisher, Store
from rkk.rotation import next_question
from rkk.weeks import iso_week

logger = logging.getLogger(__name__)


class PostOutcome(StrEnum):
    """What `post_question` did."""

    POSTED = "posted"
    ALREADY_POSTED = "already_posted"
    IN_PROGRESS = "in_progress"


@dataclass(frozen=True)
class PostResult:
    """The outcome and the round it concerns."""

    outcome: PostOutcome
    round: Round


async def post_question(store: Store, publisher: Publisher, rkk_key: str, now: datetime) -> PostResult:
    """Post this week's question in the RKK unless the week already has one.

    The round row is claimed before anything is sent: the unique (rkk, week) constraint
    makes a second claim fail, so two commands or two replicas never post twice.
    """
    rkk = await store.get_rkk(rkk_key)
    if rkk is None:
        raise UnknownRkk(rkk_key, rkk=rkk_key)
    if not rkk.reachable:
        raise NotInstalled(rkk_key, rkk=rkk.name)
    week = iso_week(now)
    round_, mine = await _claim(store, rkk_key, week, now)
    if not mine:
        outcome = PostOutcome.ALREADY_POSTED if round_.message_id else PostOutcome.IN_PROGRESS
        return PostResult(outcome, round_)
    try:
        posted = await publisher.publish_question(rkk, round_, answer_count=0)
    except PostFailed as error:
        await store.mark_failed(round_.id, str(error))
        raise
    round_ = await store.mark_posted(round_.id, posted, now)
    logger.info("posted %s week %s question %s", rkk_key, week, round_.question_id)
    return PostResult(PostOutcome.POSTED, round_)


async def _claim(store: Store, rkk_key: str, week: str, now: datetime) -> tuple[Round, bool]:
    """This week's round, and whether this call owns it (newly claimed, or taken over after a failure)."""
    existing = await store.round_for_week(rkk_key, week)
    if existing is None:
        question = next_question(await store.question_candidates(rkk_key), await store.last_asked(rkk_key))
        if question is None:
            raise NoQuestionLeft(rkk_key, rkk=rkk_key)
        claimed = await store.claim_round(rkk_key, week, question, now)
        if claimed is not None:
            return claimed, True
        existing = await store.round_for_week(rkk_key, week)
        if existing is None:  # pragma: no cover - a conflicting row is never deleted
            raise PostFailed("round vanished during claim")
    if existing.state is RoundState.FAILED:
        retaken = await store.reclaim_failed_round(existing.id, now)
        if retaken is not None:
            return retaken, True
        existing = await store.get_round(existing.id) or existing
    return existing, False
