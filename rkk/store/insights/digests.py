"""The SQL adapter of the `DigestClaims` port: a week's digest is claimed, then marked posted or failed."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from rkk.ports import Posted
from rkk.store.insights.tables import insight_digests
from rkk.store.rows import retake_or_insert

logger = logging.getLogger(__name__)


class SqlDigestClaims:
    """Claims in `insight_digests`: the week is the primary key, so two replicas cannot both post."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def claim(self, week: str, now: datetime) -> bool:
        """Claim the week's digest (new, or after a failure); False when it is posted, under way or uncertain."""
        async with self._engine.begin() as conn:
            return await retake_or_insert(
                conn,
                insight_digests,
                insight_digests.c.week == week,
                {"claimed_at": now, "last_error": None},
                week=week,
            )

    async def mark_posted(self, week: str, posted: Posted, now: datetime) -> None:
        """Record where the digest landed."""
        async with self._engine.begin() as conn:
            await conn.execute(
                update(insight_digests)
                .where(insight_digests.c.week == week)
                .values(
                    state="posted",
                    posted_at=now,
                    conversation_id=posted.conversation_id,
                    message_id=posted.message_id,
                    last_error=None,
                )
            )

    async def mark_failed(self, week: str, error: str, *, uncertain: bool) -> None:
        """Record a failure; "failed" may be claimed again, "uncertain" never (Teams may have the card)."""
        async with self._engine.begin() as conn:
            await conn.execute(
                update(insight_digests)
                .where(insight_digests.c.week == week)
                .values(state="uncertain" if uncertain else "failed", last_error=error[:2000])
            )
