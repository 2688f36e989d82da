"""Posting a scoring card exactly once, with the rounds' machinery: a claim, then a fence per HTTP attempt.

The card's row is unique per (round, kind, target) and claimed with the process's owner token and
a lease (`rkk.rounds.Policy`); `start_sending` lets one process, the owner, into each HTTP call
(`OwnerGuard`, a `SendGuard` honoured by the connector's paced retry). A process that dies inside that call
leaves the card "sending": it is never posted again on our own, but flagged uncertain after
`uncertain_after`, shown in `scoring status`, and adopted when someone acts on the card that did land.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from rkk.errors import PostFailed
from rkk.model import ChannelTarget
from rkk.ports import OwnerGuard, Posted, SendGuard
from rkk.rounds import Fenced, Policy, PostUncertain
from rkk.scoring.model import CardPost
from rkk.scoring.ports import PostKey, ScoringRepository

logger = logging.getLogger(__name__)

LOST_IN_CALL = "proces stopte tijdens het posten; onbekend of Teams de kaart plaatste"
Send = Callable[[SendGuard], Awaitable[Posted]]


def needs_post(post: CardPost | None) -> bool:
    """Whether a card still has to be claimed (never claimed, or failed; an expired unsent claim the store
    hands over on its own)."""
    return post is None or (post.state in ("failed", "claimed") and post.sending_at is None)


async def post_once(
    repo: ScoringRepository, key: PostKey, target: ChannelTarget, send: Send, now: datetime, policy: Policy
) -> bool:
    """Claim the card, then post it fenced; True if this call posted it (False: someone else owns it)."""
    if not await repo.claim_post(key, policy.owner, now, policy.lease):
        return False
    try:
        posted = await send(OwnerGuard(repo, key, policy.owner, now, policy.lease))
    except Fenced:
        logger.info("%s: another process took the card over", key)
        return False
    except PostUncertain as error:
        await repo.mark_uncertain(key, str(error), now)
        raise
    except PostFailed as error:
        await repo.finish_failed(key, str(error))
        raise
    await repo.finish_posted(key, target, posted, now)
    logger.info("%s posted", key)
    return True


async def flag_if_uncertain(
    repo: ScoringRepository, key: PostKey, post: CardPost, now: datetime, policy: Policy
) -> bool:
    """A card "sending" for longer than any call can take: its process died inside the call. True if flagged now."""
    if post.state != "claimed" or post.sending_at is None or post.uncertain_at is not None:
        return False
    if now - post.sending_at < policy.uncertain_after:
        return False
    flagged = await repo.mark_uncertain(key, LOST_IN_CALL, now)
    if flagged:
        logger.error("%s: uncertain whether Teams took the card; it is not posted again", key)
    return flagged
