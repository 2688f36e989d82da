"""SQL of the scoring round's cards: claim once, fence each HTTP attempt, record the outcome (part of ScoringStore).

The claim reuses `retake_or_insert` and the fence writes go through the rounds' group commit, so a
burst of ballots marked "sending" at once shares commits exactly as the weekly fan-out does.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from rkk.model import ChannelTarget
from rkk.ports import Posted
from rkk.scoring import CardPost, PostKey
from rkk.store.group_commit import group_commit
from rkk.store.rows import posted_values, retake_or_insert
from rkk.store.scoring.rows import post_of, post_where
from rkk.store.scoring.tables import scoring_posts

logger = logging.getLogger(__name__)

CLAIMED, POSTED, FAILED = "claimed", "posted", "failed"
_FENCE = 2  # group-commit lock order: after new rounds (0) and existing rounds (1)


def _order(key: PostKey) -> tuple[int, str]:
    return (_FENCE, f"{key.scoring_id:012d}:{key.kind.value}:{key.target_key}")


class PostQueries:
    """Each card's row: claimed, fenced while sent, posted or failed; reminders and what the card shows."""

    _engine: AsyncEngine

    async def get_post(self, key: PostKey) -> CardPost | None:
        """A card of the round, if it was ever claimed."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(scoring_posts).where(post_where(key)))).first()
        return post_of(row) if row else None

    async def posts(self, scoring_id: int) -> Sequence[CardPost]:
        """Every card of the round, by kind and target."""
        query = (
            select(scoring_posts)
            .where(scoring_posts.c.scoring_id == scoring_id)
            .order_by(scoring_posts.c.kind, scoring_posts.c.target_key)
        )
        async with self._engine.connect() as conn:
            return [post_of(row) for row in await conn.execute(query)]

    async def claim_post(self, key: PostKey, owner: str, now: datetime, lease: timedelta) -> bool:
        """Own the card: new, failed, or an unsent claim whose lease ran out; False if taken."""
        values = {"owner": owner, "lease_until": now + lease, "claimed_at": now, "sending_at": None}
        async with self._engine.begin() as conn:
            abandoned = await conn.execute(
                update(scoring_posts)
                .where(
                    post_where(key),
                    scoring_posts.c.state == CLAIMED,
                    scoring_posts.c.sending_at.is_(None),
                    scoring_posts.c.lease_until <= now,
                )
                .values(attempts=scoring_posts.c.attempts + 1, **values)
            )
            if abandoned.rowcount == 1:
                return True
            return await retake_or_insert(
                conn,
                scoring_posts,
                post_where(key),
                values,
                scoring_id=key.scoring_id,
                kind=key.kind.value,
                target_key=key.target_key,
            )

    async def start_sending(self, key: PostKey, owner: str, now: datetime) -> bool:
        """The fence before the HTTP call: True for exactly one caller, the owner of an unsent claim."""

        async def write(conn: AsyncConnection) -> bool:
            result = await conn.execute(
                update(scoring_posts)
                .where(
                    post_where(key),
                    scoring_posts.c.state == CLAIMED,
                    scoring_posts.c.owner == owner,
                    scoring_posts.c.sending_at.is_(None),
                )
                .values(sending_at=now)
            )
            return bool(result.rowcount == 1)

        return await group_commit(self._engine).run(write, order=_order(key))

    async def stop_sending(self, key: PostKey, owner: str, now: datetime, lease: timedelta) -> None:
        """Teams refused the attempt outright (nothing was posted): the claim is unsent again."""

        async def write(conn: AsyncConnection) -> None:
            await conn.execute(
                update(scoring_posts)
                .where(post_where(key), scoring_posts.c.owner == owner, scoring_posts.c.state == CLAIMED)
                .values(sending_at=None, lease_until=now + lease)
            )

        await group_commit(self._engine).run(write, order=_order(key))

    async def finish_posted(self, key: PostKey, target: ChannelTarget, posted: Posted, now: datetime) -> bool:
        """Record where the card landed (also when a card action adopts a card we lost track of)."""

        async def write(conn: AsyncConnection) -> bool:
            result = await conn.execute(
                update(scoring_posts)
                .where(post_where(key), scoring_posts.c.state == CLAIMED)
                .values(
                    state=POSTED,
                    posted_at=now,
                    uncertain_at=None,
                    last_error=None,
                    **posted_values(target, posted),
                )
            )
            return bool(result.rowcount == 1)

        return await group_commit(self._engine).run(write, order=_order(key))

    async def finish_failed(self, key: PostKey, error: str) -> None:
        """Teams did not take the card after all retries; a later step may claim it again."""
        async with self._engine.begin() as conn:
            await conn.execute(
                update(scoring_posts)
                .where(post_where(key), scoring_posts.c.state == CLAIMED)
                .values(state=FAILED, sending_at=None, last_error=error[:2000])
            )

    async def mark_uncertain(self, key: PostKey, error: str, now: datetime) -> bool:
        """Flag a card that may or may not be in Teams; True the first time."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(scoring_posts)
                .where(
                    post_where(key),
                    scoring_posts.c.state == CLAIMED,
                    scoring_posts.c.sending_at.is_not(None),
                    scoring_posts.c.uncertain_at.is_(None),
                )
                .values(uncertain_at=now, last_error=error[:2000])
            )
            return bool(result.rowcount == 1)

    async def release_uncertain(self, key: PostKey, reason: str) -> bool:
        """An uncertain card a coordinator says did not land: failed, so the next step claims it anew."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(scoring_posts)
                .where(post_where(key), scoring_posts.c.state == CLAIMED, scoring_posts.c.uncertain_at.is_not(None))
                .values(state=FAILED, sending_at=None, uncertain_at=None, last_error=reason[:2000])
            )
            return bool(result.rowcount == 1)

    async def claim_reminder(self, key: PostKey, deadline: datetime, now: datetime) -> bool:
        """True exactly once per ballot and deadline: the caller replies in its thread."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(scoring_posts)
                .where(
                    post_where(key),
                    scoring_posts.c.state == POSTED,
                    or_(scoring_posts.c.reminded_for.is_(None), scoring_posts.c.reminded_for != deadline),
                )
                .values(reminded_for=deadline, reminded_at=now)
            )
            return bool(result.rowcount == 1)

    async def mark_deadline_shown(self, key: PostKey, deadline: datetime) -> None:
        """The ballot in Teams shows this deadline."""
        async with self._engine.begin() as conn:
            await conn.execute(
                update(scoring_posts).where(post_where(key)).values(shown_deadline=deadline, last_error=None)
            )

    async def mark_card_closed(self, key: PostKey, link: str, now: datetime) -> None:
        """The ballot in Teams shows "afgesloten", linking to this results message ("": none yet)."""
        async with self._engine.begin() as conn:
            await conn.execute(
                update(scoring_posts)
                .where(post_where(key))
                .values(card_closed_at=now, closed_link=link, last_error=None)
            )

    async def set_post_error(self, key: PostKey, error: str) -> None:
        """Remember the last thing that went wrong with a card (shown in `scoring status`)."""
        async with self._engine.begin() as conn:
            await conn.execute(update(scoring_posts).where(post_where(key)).values(last_error=error[:2000]))
