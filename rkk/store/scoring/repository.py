"""The SQL adapter of the `ScoringRepository` port: rounds and topics here, cards and scores in mixins."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from rkk.scoring import NewRound, NewTopic, ScoringRound
from rkk.store.scoring.posts import PostQueries
from rkk.store.scoring.rows import round_of, topic_of
from rkk.store.scoring.tables import scoring_audience, scoring_rounds, scoring_topics
from rkk.store.scoring.votes import VoteQueries

logger = logging.getLogger(__name__)

OPEN, CLOSED = "open", "closed"


class ScoringStore(PostQueries, VoteQueries):
    """Every read and write of scoring rounds; each method is one short transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def create_round(self, new: NewRound, topics: Sequence[NewTopic], now: datetime) -> ScoringRound | None:
        """Store a new open round with its topics and audience; None when another round is open."""
        try:
            async with self._engine.begin() as conn:
                scoring_id = (
                    await conn.execute(
                        insert(scoring_rounds)
                        .values(
                            state=OPEN,
                            deadline=new.deadline,
                            threshold=new.threshold,
                            share_with_rkks=new.share_with_rkks,
                            started_by_id=new.started_by_id[:200],
                            started_by=new.started_by[:300],
                            started_at=now,
                        )
                        .returning(scoring_rounds.c.id)
                    )
                ).scalar_one()
                await conn.execute(
                    insert(scoring_topics),
                    [
                        {
                            "scoring_id": scoring_id,
                            "position": position,
                            "theme_key": topic.theme_key,
                            "label": topic.label[:300],
                            "description": topic.description[:500],
                            "besturen": topic.besturen,
                            "rkks": topic.rkks,
                            "local_impact": topic.local_impact,
                        }
                        for position, topic in enumerate(topics, 1)
                    ],
                )
                await conn.execute(
                    insert(scoring_audience),
                    [{"scoring_id": scoring_id, "rkk_key": key, "position": i} for i, key in enumerate(new.audience)],
                )
        except IntegrityError:  # uq_scoring_rounds_open: another round is open
            logger.info("scoring round not created: another one is open")
            return None
        return await self.get_round(int(scoring_id))

    async def open_round(self) -> ScoringRound | None:
        """The round that is open now, if any."""
        return await self._one(select(scoring_rounds).where(scoring_rounds.c.state == OPEN))

    async def get_round(self, scoring_id: int) -> ScoringRound | None:
        """A round by id."""
        return await self._one(select(scoring_rounds).where(scoring_rounds.c.id == scoring_id))

    async def latest_round(self) -> ScoringRound | None:
        """The newest round, open or closed."""
        return await self._one(select(scoring_rounds).order_by(scoring_rounds.c.id.desc()).limit(1))

    async def active_rounds(self, closed_since: datetime) -> Sequence[ScoringRound]:
        """The open round and the rounds closed since `closed_since`, oldest first."""
        query = (
            select(scoring_rounds)
            .where(or_(scoring_rounds.c.state == OPEN, scoring_rounds.c.closed_at >= closed_since))
            .order_by(scoring_rounds.c.id)
        )
        async with self._engine.connect() as conn:
            return [await self._complete(conn, row) for row in (await conn.execute(query)).all()]

    async def close_round(self, scoring_id: int, now: datetime) -> bool:
        """Close an open round; True for exactly one caller."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(scoring_rounds)
                .where(scoring_rounds.c.id == scoring_id, scoring_rounds.c.state == OPEN)
                .values(state=CLOSED, closed_at=now)
            )
            return bool(result.rowcount == 1)

    async def extend_round(self, scoring_id: int, deadline: datetime) -> bool:
        """Move the deadline of an open round; False when it is not open."""
        async with self._engine.begin() as conn:
            result = await conn.execute(
                update(scoring_rounds)
                .where(scoring_rounds.c.id == scoring_id, scoring_rounds.c.state == OPEN)
                .values(deadline=deadline)
            )
            return bool(result.rowcount == 1)

    async def _one(self, query: Any) -> ScoringRound | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
            return await self._complete(conn, row) if row is not None else None

    async def _complete(self, conn: AsyncConnection, row: Row[Any]) -> ScoringRound:
        """The round with its topics and audience, in their order."""
        topics = await conn.execute(
            select(scoring_topics).where(scoring_topics.c.scoring_id == row.id).order_by(scoring_topics.c.position)
        )
        audience = await conn.execute(
            select(scoring_audience.c.rkk_key)
            .where(scoring_audience.c.scoring_id == row.id)
            .order_by(scoring_audience.c.position)
        )
        return round_of(row, [topic_of(t) for t in topics], [a.rkk_key for a in audience])
