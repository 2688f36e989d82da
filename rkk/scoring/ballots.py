"""Ballots: one card per audience RKK, posted once; its base view, a viewer's view, and card actions on it."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import replace
from datetime import datetime

from rkk.crosspost import same_thread
from rkk.errors import RkkError
from rkk.model import Rkk
from rkk.ports import Posted
from rkk.scoring.context import Scoring
from rkk.scoring.errors import ForeignScoringAction
from rkk.scoring.model import UMBRELLA, CardPost, PostKind, ScoringRound, ScoringState
from rkk.scoring.ports import PostKey
from rkk.scoring.posting import flag_if_uncertain, needs_post, post_once
from rkk.scoring.views import MAX_REFRESH_USERS, BallotView, Viewer

logger = logging.getLogger(__name__)


def ballot_key(round_: ScoringRound, rkk_key: str) -> PostKey:
    """The ballot of one RKK."""
    return PostKey(round_.id, PostKind.BALLOT, rkk_key)


async def results_link_post(s: Scoring, round_: ScoringRound, rkk_key: str) -> CardPost | None:
    """Where an RKK's members find the results: their own channel's results card, else the one in Overkoepelend."""
    for target in (rkk_key, UMBRELLA):
        post = await s.repo.get_post(PostKey(round_.id, PostKind.RESULTS, target))
        if post is not None and post.posted:
            return post
    return None


async def base_view(s: Scoring, round_: ScoringRound, rkk: Rkk) -> BallotView:
    """The card everyone in the RKK sees: topics, deadline, how many besturen scored (no names)."""
    known = (await s.repo.known_besturen(round_.id, [rkk.key])).get(rkk.key, set())
    counted = {score_set.bestuur for score_set in await s.repo.score_sets(round_.id)}
    closed = round_.state is ScoringState.CLOSED
    return BallotView(
        scoring_id=round_.id,
        rkk_key=rkk.key,
        rkk_name=rkk.name,
        deadline=round_.deadline,
        topics=round_.topics,
        scored=len(known & counted),
        known=len(known),
        user_ids=tuple(await s.repo.viewers(round_.id, rkk.key, MAX_REFRESH_USERS)),
        closed=closed,
        results=await results_link_post(s, round_, rkk.key) if closed else None,
    )


async def viewer_view(s: Scoring, round_: ScoringRound, rkk: Rkk, bestuur: str | None) -> BallotView:
    """One viewer's card: the score set that counts for their bestuur, who submitted it and when."""
    current = await s.repo.score_set(round_.id, bestuur) if bestuur else None
    return replace(await base_view(s, round_, rkk), viewer=Viewer(bestuur, current))


async def post_ballots(s: Scoring, round_: ScoringRound, now: datetime) -> Counter[str]:
    """Post the ballot of every audience RKK that has none yet, at most `concurrency` at a time."""
    done: Counter[str] = Counter()
    gate = asyncio.Semaphore(max(1, s.settings.concurrency))

    async def one(rkk_key: str) -> None:
        async with gate:
            done[await _post_one(s, round_, rkk_key, now)] += 1

    async with asyncio.TaskGroup() as group:
        for rkk_key in round_.audience:
            group.create_task(one(rkk_key))
    done.pop("", None)
    return done


async def _post_one(s: Scoring, round_: ScoringRound, rkk_key: str, now: datetime) -> str:
    """Post one RKK's ballot if it needs it; what happened ("" for nothing)."""
    key = ballot_key(round_, rkk_key)
    post = await s.repo.get_post(key)
    if post is not None and await flag_if_uncertain(s.repo, key, post, now, s.policy):
        return "uncertain"
    if not needs_post(post):
        return ""
    rkk = await s.rkks.get_rkk(rkk_key)
    if rkk is None or rkk.target is None:
        logger.warning("scoring %s: %s cannot be reached (bot not installed); no ballot", round_.id, rkk_key)
        return ""
    view, target = await base_view(s, round_, rkk), rkk.target
    try:
        if not await post_once(s.repo, key, target, lambda g: s.publisher.post_ballot(target, view, g), now, s.policy):
            return ""
    except RkkError as error:
        logger.error("scoring %s: ballot for %s not posted: %s", round_.id, rkk_key, error)
        return "failed"
    await s.repo.mark_deadline_shown(key, round_.deadline)
    return "ballots"


async def refresh_ballot(s: Scoring, round_: ScoringRound, rkk: Rkk) -> None:
    """Replace the base card (new count, new automatic-refresh list); a failure only delays it."""
    key = ballot_key(round_, rkk.key)
    post = await s.repo.get_post(key)
    if post is None or not post.posted or post.target is None:
        return
    try:
        view = await base_view(s, round_, rkk)
        await s.publisher.update_ballot(post.target, Posted(post.conversation_id or "", post.message_id or ""), view)
    except RkkError as error:
        logger.warning("scoring %s: ballot of %s not refreshed: %s", round_.id, rkk.key, error)
        await s.repo.set_post_error(key, f"kaart bijwerken: {error}")


async def ballot_for_action(
    s: Scoring, scoring_id: object, rkk_key: object, team_id: str | None, conversation_id: str | None, now: datetime
) -> tuple[ScoringRound, Rkk]:
    """The round and RKK of a button pressed on a ballot, checked against the thread it was pressed in.

    Forged or stale data (another round, another RKK, a card from elsewhere) raises ForeignScoringAction.
    A ballot whose post we lost track of ("sending" or uncertain) is adopted from its own thread.
    """
    if not isinstance(scoring_id, int) or isinstance(scoring_id, bool) or not isinstance(rkk_key, str):
        raise ForeignScoringAction("card data without scoring round or RKK")
    rkk = await s.rkks.get_rkk(rkk_key)
    channel, _, message_id = (conversation_id or "").partition(";messageid=")
    if rkk is None or rkk.target is None or not team_id or rkk.team_id != team_id or channel != rkk.channel_id:
        raise ForeignScoringAction(f"ballot {scoring_id}/{rkk_key} pressed outside its RKK's channel")
    key = PostKey(scoring_id, PostKind.BALLOT, rkk_key)
    post = await s.repo.get_post(key)
    if post is None:
        raise ForeignScoringAction(f"no ballot {scoring_id}/{rkk_key}")
    if not post.posted and post.state == "claimed" and post.sending_at is not None and message_id:
        logger.warning("scoring ballot %s/%s adopted from a card action in %s", scoring_id, rkk_key, conversation_id)
        await s.repo.finish_posted(key, rkk.target, Posted(conversation_id or "", message_id), now)
    elif not same_thread(post.conversation_id, post.message_id, conversation_id):
        raise ForeignScoringAction(f"ballot {scoring_id}/{rkk_key} is not the card in {conversation_id}")
    round_ = await s.repo.get_round(scoring_id)
    if round_ is None:
        raise ForeignScoringAction(f"no scoring round {scoring_id}")
    return round_, rkk
