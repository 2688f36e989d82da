"""The scoring round's periodic step: post ballots, remind once, close at the deadline, post results, close cards.

Each step is claimed in the database first (a card row, a conditional UPDATE), so replicas running
the same job, or a restart in the middle, do each step once: closing happens exactly once, each
card is posted once, a reminder is sent at most once per ballot and deadline. Card updates are
PUTs and are repeated until they get through.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from rkk.errors import PostFailed, RkkError
from rkk.model import ChannelTarget
from rkk.ports import Posted, SendGuard
from rkk.scoring.ballots import ballot_key, base_view, post_ballots, results_link_post
from rkk.scoring.context import Scoring
from rkk.scoring.model import UMBRELLA, PostKind, ScoringRound, ScoringState
from rkk.scoring.ports import PostKey
from rkk.scoring.posting import Send, flag_if_uncertain, needs_post, post_once
from rkk.scoring.progress import participation, results_view
from rkk.scoring.steering import umbrella
from rkk.scoring.views import Reminder, ResultsView

logger = logging.getLogger(__name__)

KEEP_CLOSED = timedelta(days=7)  # a closed round's cards are looked after this long


async def keep_scoring(s: Scoring, now: datetime) -> Counter[str]:
    """One pass over the open round and recently closed ones: each gets the steps it is due for."""
    done: Counter[str] = Counter()
    for round_ in await s.repo.active_rounds(now - KEEP_CLOSED):
        if round_.state is ScoringState.OPEN and now >= round_.deadline:
            if await s.repo.close_round(round_.id, now):
                logger.info("scoring round %s closed at its deadline", round_.id)
                done["closed"] += 1
            round_ = await s.repo.get_round(round_.id) or round_
        if round_.state is ScoringState.OPEN:
            done.update(await post_ballots(s, round_, now))
            done["reminded"] += await remind(s, round_, now)
            done["deadline_shown"] += await show_deadline(s, round_)
        else:
            done["results"] += await post_results(s, round_, now)
            done["ballots_closed"] += await close_ballots(s, round_, now)
    return +done


async def remind(s: Scoring, round_: ScoringRound, now: datetime) -> int:
    """Reply once in each ballot's thread a few days before the deadline, with counts only."""
    moment = round_.deadline - s.settings.remind_before
    if not moment <= now < round_.deadline:
        return 0
    counts = {p.rkk_key: p for p in await participation(s, round_)}
    sent = 0
    for rkk_key in round_.audience:
        key = ballot_key(round_, rkk_key)
        post = await s.repo.get_post(key)
        if post is None or not post.posted or post.target is None or post.reminded_for == round_.deadline:
            continue
        if post.posted_at is not None and post.posted_at > moment:
            continue  # the ballot went out after the reminder moment: a reminder now would only repeat it
        if not await s.repo.claim_reminder(key, round_.deadline, now):
            continue
        part = counts[rkk_key]
        reminder = Reminder(part.rkk_name, part.scored, part.known, round_.deadline)
        try:
            await s.publisher.remind(post.target, _posted(post.conversation_id, post.message_id), reminder)
        except PostFailed as error:  # at most once: the reminder is not tried again
            await s.repo.set_post_error(key, f"herinnering: {error}")
            continue
        sent += 1
    return sent


async def show_deadline(s: Scoring, round_: ScoringRound) -> int:
    """Update the ballots whose card shows an older deadline (after `scoring verlengen`)."""
    updated = 0
    for post in await s.repo.posts(round_.id):
        if post.kind is not PostKind.BALLOT or not post.posted or post.shown_deadline == round_.deadline:
            continue
        rkk = await s.rkks.get_rkk(post.target_key)
        if rkk is None or post.target is None:
            continue
        try:
            view = await base_view(s, round_, rkk)
            await s.publisher.update_ballot(post.target, _posted(post.conversation_id, post.message_id), view)
        except RkkError as error:
            await s.repo.set_post_error(ballot_key(round_, rkk.key), f"kaart bijwerken: {error}")
            continue
        await s.repo.mark_deadline_shown(ballot_key(round_, rkk.key), round_.deadline)
        updated += 1
    return updated


async def post_results(s: Scoring, round_: ScoringRound, now: datetime) -> int:
    """Post the results card once in RKK Overkoepelend and, if chosen, once in every audience RKK."""
    targets = [UMBRELLA, *(round_.audience if round_.share_with_rkks else ())]
    posted = 0
    for target_key in targets:
        key = PostKey(round_.id, PostKind.RESULTS, target_key)
        post = await s.repo.get_post(key)
        if post is not None and await flag_if_uncertain(s.repo, key, post, now, s.policy):
            continue
        if not needs_post(post):
            continue
        try:
            target = await _results_target(s, target_key)
            if target is None:
                continue
            send = _results_sender(s, target, await results_view(s, round_))
            posted += await post_once(s.repo, key, target, send, now, s.policy)
        except RkkError as error:
            logger.error("scoring %s: results for %s not posted: %s", round_.id, target_key, error)
    return posted


async def close_ballots(s: Scoring, round_: ScoringRound, now: datetime) -> int:
    """Show "afgesloten" on every ballot, with a link to the results once they are posted (updated again then)."""
    closed = 0
    for post in await s.repo.posts(round_.id):
        if post.kind is not PostKind.BALLOT or not post.posted or post.target is None:
            continue
        results = await results_link_post(s, round_, post.target_key)
        link = (results.message_id or "") if results else ""
        if post.card_closed_at is not None and post.closed_link == link:
            continue
        rkk = await s.rkks.get_rkk(post.target_key)
        if rkk is None:
            continue
        key = ballot_key(round_, rkk.key)
        try:
            view = await base_view(s, round_, rkk)
            await s.publisher.update_ballot(post.target, _posted(post.conversation_id, post.message_id), view)
        except RkkError as error:  # a PUT: the next step tries again
            await s.repo.set_post_error(key, f"kaart afsluiten: {error}")
            continue
        await s.repo.mark_card_closed(key, link, now)
        closed += 1
    return closed


def _results_sender(s: Scoring, target: ChannelTarget, view: ResultsView) -> Send:
    async def send(guard: SendGuard) -> Posted:
        return await s.publisher.post_results(target, view, guard)

    return send


async def _results_target(s: Scoring, target_key: str) -> ChannelTarget | None:
    if target_key == UMBRELLA:
        return await umbrella(s)
    rkk = await s.rkks.get_rkk(target_key)
    return rkk.target if rkk is not None else None


def _posted(conversation_id: str | None, message_id: str | None) -> Posted:
    return Posted(conversation_id or "", message_id or "")
