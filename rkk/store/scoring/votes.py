"""SQL of besturen's scores: submissions (all kept), the set that counts per bestuur, viewers, export.

Part of ScoringStore. A submission first writes the round's row (state must still be "open" and the
deadline ahead): that row lock orders it against closing and against other submissions, so the
results of a closed round never change and two members of one bestuur never both "replace" nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime

from sqlalchemy import and_, insert, select, union, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from rkk.answers import UNKNOWN_BESTUUR
from rkk.scoring import ScoreExportRow, ScoreSet, Voter
from rkk.store.rows import update_or_insert
from rkk.store.scoring.tables import (
    score_sets,
    score_submissions,
    score_values,
    scoring_rounds,
    scoring_topics,
    scoring_viewers,
)
from rkk.store.tables import answers, rounds
from rkk.store.timestamps import as_utc

logger = logging.getLogger(__name__)


async def _sets(conn: AsyncConnection, scoring_id: int, bestuur: str | None = None) -> list[ScoreSet]:
    """The counted sets of a round (or of one bestuur) with their scores.

    Two queries: the sets with who and when, then the bare scores. One joined row per score
    would parse each set's timestamp once per topic, which on SQLite costs most of the time.
    """
    heads_query = (
        select(
            score_sets.c.bestuur,
            score_sets.c.submission_id,
            score_submissions.c.rkk_key,
            score_submissions.c.member_name,
            score_submissions.c.submitted_at,
        )
        .join(score_submissions, score_submissions.c.id == score_sets.c.submission_id)
        .where(score_sets.c.scoring_id == scoring_id)
        .order_by(score_sets.c.bestuur)
    )
    values_query = (
        select(score_values.c.submission_id, score_values.c.topic_id, score_values.c.score)
        .join(score_sets, score_sets.c.submission_id == score_values.c.submission_id)
        .where(score_sets.c.scoring_id == scoring_id)
    )
    if bestuur is not None:
        heads_query = heads_query.where(score_sets.c.bestuur == bestuur)
        values_query = values_query.where(score_sets.c.bestuur == bestuur)
    heads = (await conn.execute(heads_query)).all()
    scores: dict[int, dict[int, int | None]] = {head.submission_id: {} for head in heads}
    for submission_id, topic_id, score in await conn.execute(values_query):
        scores[submission_id][topic_id] = score
    return [
        ScoreSet(scoring_id, h.bestuur, h.rkk_key, h.member_name, as_utc(h.submitted_at), scores[h.submission_id])
        for h in heads
    ]


class VoteQueries:
    """Score submissions and sets, the ballot's viewers, the besturen known per RKK, the export."""

    _engine: AsyncEngine

    async def save_scores(
        self, scoring_id: int, rkk_key: str, voter: Voter, scores: Mapping[int, int | None], now: datetime
    ) -> tuple[ScoreSet, ScoreSet | None] | None:
        """Keep the submission and make it the bestuur's score set; the set it replaced. None: round closed."""
        async with self._engine.begin() as conn:
            still_open = await conn.execute(
                update(scoring_rounds)
                .where(
                    scoring_rounds.c.id == scoring_id,
                    scoring_rounds.c.state == "open",
                    scoring_rounds.c.deadline > now,
                )
                .values(state="open")
            )
            if still_open.rowcount != 1:
                return None
            previous = await self._set_in(conn, scoring_id, voter.bestuur)
            submission_id = (
                await conn.execute(
                    insert(score_submissions)
                    .values(
                        scoring_id=scoring_id,
                        rkk_key=rkk_key,
                        bestuur=voter.bestuur[:200],
                        member_id=voter.member_id[:100],
                        member_teams_id=voter.teams_id[:200],
                        member_name=voter.name[:300],
                        submitted_at=now,
                    )
                    .returning(score_submissions.c.id)
                )
            ).scalar_one()
            await conn.execute(
                insert(score_values),
                [{"submission_id": submission_id, "topic_id": t, "score": s} for t, s in scores.items()],
            )
            values = {"submission_id": submission_id, "updated_at": now}
            where = and_(score_sets.c.scoring_id == scoring_id, score_sets.c.bestuur == voter.bestuur[:200])
            await update_or_insert(conn, score_sets, where, values, scoring_id=scoring_id, bestuur=voter.bestuur[:200])
        saved = ScoreSet(scoring_id, voter.bestuur, rkk_key, voter.name, now, dict(scores))
        return saved, previous

    async def score_set(self, scoring_id: int, bestuur: str) -> ScoreSet | None:
        """The score set that counts for a bestuur."""
        async with self._engine.connect() as conn:
            return await self._set_in(conn, scoring_id, bestuur)

    async def score_sets(self, scoring_id: int) -> Sequence[ScoreSet]:
        """Every bestuur's score set that counts, by bestuur."""
        async with self._engine.connect() as conn:
            return await _sets(conn, scoring_id)

    async def _set_in(self, conn: AsyncConnection, scoring_id: int, bestuur: str) -> ScoreSet | None:
        found = await _sets(conn, scoring_id, bestuur)
        return found[0] if found else None

    async def add_viewer(self, scoring_id: int, rkk_key: str, teams_id: str, now: datetime) -> None:
        """Remember a member who acted on the ballot (or when they did again)."""
        key = and_(
            scoring_viewers.c.scoring_id == scoring_id,
            scoring_viewers.c.rkk_key == rkk_key,
            scoring_viewers.c.teams_id == teams_id[:200],
        )
        async with self._engine.begin() as conn:
            new = {"scoring_id": scoring_id, "rkk_key": rkk_key, "teams_id": teams_id[:200]}
            await update_or_insert(conn, scoring_viewers, key, {"seen_at": now}, **new)

    async def viewers(self, scoring_id: int, rkk_key: str, limit: int) -> list[str]:
        """The Teams user ids of the members who acted on the ballot most recently."""
        query = (
            select(scoring_viewers.c.teams_id)
            .where(scoring_viewers.c.scoring_id == scoring_id, scoring_viewers.c.rkk_key == rkk_key)
            .order_by(scoring_viewers.c.seen_at.desc(), scoring_viewers.c.teams_id)
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            return [row.teams_id for row in await conn.execute(query)]

    async def known_besturen(self, scoring_id: int, rkk_keys: Collection[str]) -> dict[str, set[str]]:
        """Per RKK, the besturen of members who ever answered there or submitted scores on its ballot."""
        keys = list(rkk_keys)
        answered = (
            select(rounds.c.rkk_key, answers.c.bestuur)
            .join(rounds, rounds.c.id == answers.c.round_id)
            .where(rounds.c.rkk_key.in_(keys), answers.c.hidden.is_(False), answers.c.bestuur != UNKNOWN_BESTUUR)
        )
        scored = select(score_submissions.c.rkk_key, score_submissions.c.bestuur).where(
            score_submissions.c.scoring_id == scoring_id, score_submissions.c.rkk_key.in_(keys)
        )
        found: dict[str, set[str]] = {key: set() for key in keys}
        async with self._engine.connect() as conn:
            for row in await conn.execute(union(answered, scored)):
                found[row.rkk_key].add(row.bestuur)
        return found

    async def export_scores(self, scoring_id: int | None = None) -> Sequence[ScoreExportRow]:
        """One row per bestuur per topic of the counted sets (a topic left empty has an empty score)."""
        query = (
            select(
                score_sets.c.scoring_id,
                score_sets.c.bestuur,
                score_submissions.c.rkk_key,
                score_submissions.c.member_name,
                score_submissions.c.submitted_at,
                scoring_topics.c.id.label("topic_id"),
                scoring_topics.c.theme_key,
                scoring_topics.c.label,
                score_values.c.score,
            )
            .join(score_submissions, score_submissions.c.id == score_sets.c.submission_id)
            .join(scoring_topics, scoring_topics.c.scoring_id == score_sets.c.scoring_id)
            .outerjoin(
                score_values,
                and_(
                    score_values.c.submission_id == score_submissions.c.id,
                    score_values.c.topic_id == scoring_topics.c.id,
                ),
            )
            .order_by(score_sets.c.scoring_id, score_sets.c.bestuur, scoring_topics.c.position)
        )
        if scoring_id is not None:
            query = query.where(score_sets.c.scoring_id == scoring_id)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [
            ScoreExportRow(
                scoring_id=row.scoring_id,
                topic_id=row.topic_id,
                theme_key=row.theme_key or "",
                topic=row.label,
                bestuur=row.bestuur,
                rkk=row.rkk_key,
                score="" if row.score is None else str(row.score),
                submitted_by=row.member_name,
                submitted_at=as_utc(row.submitted_at).isoformat(),
            )
            for row in rows
        ]
