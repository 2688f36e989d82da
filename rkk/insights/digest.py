"""The weekly digest for RKK Overkoepelend: the global `rapport` card, posted once a week by the scheduler.

Once a week holds across restarts and replicas because the week's digest is claimed in the database
before anything is sent; a post whose fate is unknown (Teams may have it) is never sent again.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from rkk.errors import PostFailed
from rkk.insights.model import Insights
from rkk.insights.ports import DigestClaims, DigestPublisher
from rkk.model import ChannelTarget
from rkk.rounds import PostUncertain, iso_week

logger = logging.getLogger(__name__)


class DigestOutcome(enum.StrEnum):
    """What one run of the digest did."""

    NOT_DUE = "not_due"  # this week's moment has not come yet
    NO_UMBRELLA = "no_umbrella"  # RKK Overkoepelend is not configured or the bot is not in it
    DONE = "done"  # this week's digest was posted, is under way elsewhere, or is uncertain
    POSTED = "posted"
    FAILED = "failed"  # a later run this week tries again
    UNCERTAIN = "uncertain"


def digest_week(now: datetime, tz: ZoneInfo, weekday: int, at: time) -> str | None:
    """The ISO week whose digest is due at `now` (its weekday and wall-clock time have passed), else None."""
    local = now.astimezone(tz)
    monday = local.date() - timedelta(days=local.weekday())
    moment = datetime.combine(monday + timedelta(days=weekday), at, tzinfo=tz)
    return iso_week(now, tz) if local >= moment else None


async def post_digest(
    claims: DigestClaims,
    publisher: DigestPublisher,
    umbrella: Callable[[], Awaitable[ChannelTarget | None]],
    build: Callable[[], Awaitable[Insights]],
    week: str,
    now: datetime,
) -> DigestOutcome:
    """Post the week's digest unless it was posted (or is uncertain); the claim comes before any sending."""
    target = await umbrella()
    if target is None:
        logger.warning("digest of %s not posted: RKK Overkoepelend unknown or the bot is not installed there", week)
        return DigestOutcome.NO_UMBRELLA
    if not await claims.claim(week, now):
        return DigestOutcome.DONE
    try:
        posted = await publisher.post_digest(target, await build())
    except PostUncertain as error:
        logger.error("digest of %s may or may not be in the channel; it is not sent again: %s", week, error)
        await claims.mark_failed(week, str(error), uncertain=True)
        return DigestOutcome.UNCERTAIN
    except PostFailed as error:
        logger.warning("digest of %s failed, a later run tries again: %s", week, error)
        await claims.mark_failed(week, str(error), uncertain=False)
        return DigestOutcome.FAILED
    await claims.mark_posted(week, posted, now)
    logger.info("digest of %s posted", week)
    return DigestOutcome.POSTED
