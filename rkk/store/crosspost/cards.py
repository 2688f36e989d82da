"""Reads and writes of cross-posted cards and coordinators' decisions (part of ThemeStore)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from rkk.crosspost import CrossPost, DecisionRecord, PlannedMeeting, Spread, ThemeStatus
from rkk.meetings import MeetingState
from rkk.model import ChannelTarget
from rkk.ports import Posted
from rkk.store.crosspost.rows import crosspost_of, decision_of, listed
from rkk.store.crosspost.tables import theme_crossposts, theme_decisions, themes
from rkk.store.meetings import meetings
from rkk.store.rows import posted_values, retake_or_insert
from rkk.store.timestamps import as_utc

logger = logging.getLogger(__name__)


class CrossPostQueries:
    """A theme's card in RKK Overkoepelend and the decisions taken on it; each method one transaction."""

    _engine: AsyncEngine

    async def get_crosspost(self, key: str) -> CrossPost | None:
        """The theme's cross-post, if one was ever claimed."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(theme_crossposts).where(theme_crossposts.c.theme_key == key))).first()
        return crosspost_of(row) if row else None

    async def claim_crosspost(self, key: str, spread: Spread, now: datetime, owner: str, lease: timedelta) -> bool:
        """Claim the right to post the theme's card (new, after a failure, or left unsent by a dead owner)."""
        values = {
            "rkks": listed(spread.rkks),
            "besturen": listed(spread.besturen),
            "claimed_at": now,
            "owner": owner,
            "lease_until": now + lease,
            "sending_at": None,
        }
        c = theme_crossposts.c
        abandoned = and_(c.state == "claimed", c.sending_at.is_(None), c.lease_until <= now)
        async with self._engine.begin() as conn:
            return await retake_or_insert(
                conn, theme_crossposts, c.theme_key == key, values, abandoned=abandoned, theme_key=key, revision=0
            )

    async def start_crosspost_send(self, key: str, owner: str, now: datetime) -> bool:
        """The fence before the card's request: True for the owner of an unsent claim, once."""
        c = theme_crossposts.c
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(theme_crossposts)
                .where(c.theme_key == key, c.owner == owner, c.state == "claimed", c.sending_at.is_(None))
                .values(sending_at=now)
            )
            return bool(result.rowcount == 1)

    async def stop_crosspost_send(self, key: str, owner: str, now: datetime, lease: timedelta) -> None:
        """Teams refused the request (nothing was posted): the claim is unsent again."""
        c = theme_crossposts.c
        async with self._engine.begin() as conn:
            await conn.execute(
                update(theme_crossposts)
                .where(c.theme_key == key, c.owner == owner, c.state == "claimed")
                .values(sending_at=None, lease_until=now + lease)
            )

    async def mark_crossposted(self, key: str, target: ChannelTarget, posted: Posted, now: datetime) -> None:
        """Record where the card landed, and that the theme is cross-posted."""
        async with self._engine.begin() as conn:
            await conn.execute(
                update(theme_crossposts)
                .where(theme_crossposts.c.theme_key == key)
                .values(state="posted", posted_at=now, updated_at=now, last_error=None, **posted_values(target, posted))
            )
            await conn.execute(
                update(themes)
                .where(themes.c.key == key, themes.c.state == ThemeStatus.ACTIVE.value)
                .values(state=ThemeStatus.CROSSPOSTED.value, updated_at=now)
            )

    async def mark_crosspost_failed(self, key: str, error: str) -> None:
        """Record a failed post so that a later run may claim it again."""
        async with self._engine.begin() as conn:
            await conn.execute(
                update(theme_crossposts)
                .where(theme_crossposts.c.theme_key == key)
                .values(state="failed", sending_at=None, last_error=error[:2000])
            )

    async def advance_crosspost(self, key: str, revision: int, spread: Spread, now: datetime) -> bool:
        """Record the spread the card shows now, if nobody did since `revision`."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(theme_crossposts)
                .where(theme_crossposts.c.theme_key == key, theme_crossposts.c.revision == revision)
                .values(
                    revision=revision + 1,
                    rkks=listed(spread.rkks),
                    besturen=listed(spread.besturen),
                    updated_at=now,
                )
            )
            return bool(result.rowcount == 1)

    async def record_decision(self, record: DecisionRecord, status: ThemeStatus) -> None:
        """Store a coordinator's decision (who, when, the theme as it stood) and the theme's new status."""
        async with self._engine.begin() as conn:
            await conn.execute(
                insert(theme_decisions).values(
                    theme_key=record.theme_key,
                    decision=record.decision.value,
                    by_id=record.by_id[:200],
                    by_name=record.by_name[:300],
                    decided_at=record.at,
                    rkks=listed(record.spread.rkks),
                    besturen=listed(record.spread.besturen),
                )
            )
            await conn.execute(
                update(themes).where(themes.c.key == record.theme_key).values(state=status.value, updated_at=record.at)
            )

    async def last_decision(self, key: str) -> DecisionRecord | None:
        """The theme's most recent decision."""
        query = (
            select(theme_decisions)
            .where(theme_decisions.c.theme_key == key)
            .order_by(theme_decisions.c.decided_at.desc(), theme_decisions.c.id.desc())
            .limit(1)
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return decision_of(row) if row else None

    async def planned_meetings(self, keys: Sequence[str]) -> Mapping[str, PlannedMeeting]:
        """Theme key -> the kennismoment scheduled for it (one live one per theme), for these themes."""
        if not keys:
            return {}
        query = select(meetings.c.theme_key, meetings.c.starts_at, meetings.c.title).where(
            meetings.c.theme_key.in_(list(keys)), meetings.c.state == MeetingState.SCHEDULED.value
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return {row.theme_key: PlannedMeeting(as_utc(row.starts_at), row.title) for row in rows}
