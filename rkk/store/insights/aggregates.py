"""The SQL adapter of the `InsightSource` port: every number is a GROUP BY in the database (SQLite, PostgreSQL).

Only visible answers count. A round belongs to an ISO week ("2026-W48"); those strings sort in time
order, so a period is `week BETWEEN first AND last`. Buckets (weeks or months) are a CASE over the
week in a subquery, grouped outside it: PostgreSQL would not match a CASE with bound parameters in
SELECT to the same CASE in GROUP BY.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import CTE, ColumnElement, Select, and_, case, desc, distinct, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from rkk.answers import UNKNOWN_BESTUUR
from rkk.insights import BestuurRow, ParticipationRow, QuestionRow, ThemeCount, ThemeHistoryRow
from rkk.store.crosspost import theme_answers, theme_crossposts, theme_decisions, themes
from rkk.store.tables import answers, rounds
from rkk.store.timestamps import as_utc_or_none

logger = logging.getLogger(__name__)

_ANSWERED = answers.join(rounds, rounds.c.id == answers.c.round_id)
_KNOWN_BESTUUR = case((answers.c.bestuur != UNKNOWN_BESTUUR, answers.c.bestuur))  # NULL is not counted
_GONE = ("dismissed", "merged")  # "geen rode draad", or folded into another theme
_SHOWN = ("crossposted", "planned")  # rode draden for the umbrella team, whatever the rule says now


def _in_weeks(weeks: Sequence[str], rkk_keys: Collection[str]) -> ColumnElement[bool]:
    """Visible answers in a run of ISO weeks and in these RKKs."""
    return and_(
        answers.c.hidden.is_(False),
        rounds.c.week.between(min(weeks), max(weeks)),
        rounds.c.rkk_key.in_(list(rkk_keys)),
    )


def _bucketed_rounds(buckets: Mapping[str, str], rkk_keys: Collection[str], posted: bool = False) -> CTE:
    """The rounds of the period with their bucket: the week itself, or a CASE mapping weeks to months.

    Materialised, so the CASE runs once per round (a few thousand) rather than once per answer.
    """
    same = all(week == key for week, key in buckets.items())
    bucket = rounds.c.week if same else case(dict(buckets), value=rounds.c.week)
    query = select(rounds.c.id, rounds.c.rkk_key, bucket.label("bucket")).where(
        rounds.c.week.between(min(buckets), max(buckets)), rounds.c.rkk_key.in_(list(rkk_keys))
    )
    if posted:
        query = query.where(rounds.c.message_id.is_not(None))
    return query.cte("bucketed").prefix_with("MATERIALIZED")


class InsightQueries:
    """Aggregates for the `rapport` card, the digest and the annual report; each method is one read."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def participation(self, buckets: Mapping[str, str], rkk_keys: Collection[str]) -> Sequence[ParticipationRow]:
        """Answers and distinct besturen per RKK and bucket, then per bucket over all the RKKs (rkk_key "")."""
        if not buckets or not rkk_keys:
            return []
        bucketed = _bucketed_rounds(buckets, rkk_keys)
        inner = (
            select(
                bucketed.c.rkk_key,
                bucketed.c.bucket,
                answers.c.id.label("answer_id"),
                _KNOWN_BESTUUR.label("bestuur"),
            )
            .select_from(answers.join(bucketed, bucketed.c.id == answers.c.round_id))
            .where(answers.c.hidden.is_(False))
            .subquery()
        )
        counted = (func.count(inner.c.answer_id), func.count(distinct(inner.c.bestuur)))
        per_rkk = select(inner.c.rkk_key, inner.c.bucket, *counted).group_by(inner.c.rkk_key, inner.c.bucket)
        total = select(inner.c.bucket, *counted).group_by(inner.c.bucket)
        async with self._engine.connect() as conn:
            rows = [ParticipationRow(r[0], r[1], int(r[2]), int(r[3])) for r in await conn.execute(per_rkk)]
            rows += [ParticipationRow("", r[0], int(r[1]), int(r[2])) for r in await conn.execute(total)]
        return rows

    async def questions_asked(
        self, buckets: Mapping[str, str], rkk_keys: Collection[str]
    ) -> Mapping[tuple[str, str], int]:
        """(RKK key, bucket) -> the number of questions posted in it."""
        if not buckets or not rkk_keys:
            return {}
        inner = _bucketed_rounds(buckets, rkk_keys, posted=True)
        query = select(inner.c.rkk_key, inner.c.bucket, func.count()).group_by(inner.c.rkk_key, inner.c.bucket)
        async with self._engine.connect() as conn:
            return {(r[0], r[1]): int(r[2]) for r in await conn.execute(query)}

    async def besturen_answering(self, weeks: Sequence[str], rkk_keys: Collection[str]) -> Mapping[str, int]:
        """Bestuur -> visible answers in these weeks."""
        if not weeks or not rkk_keys:
            return {}
        query = (
            select(answers.c.bestuur, func.count())
            .select_from(_ANSWERED)
            .where(_in_weeks(weeks, rkk_keys))
            .group_by(answers.c.bestuur)
        )
        async with self._engine.connect() as conn:
            return {r[0]: int(r[1]) for r in await conn.execute(query)}

    async def besturen_known(self, until_week: str, rkk_keys: Collection[str]) -> Collection[str]:
        """Every bestuur that ever answered in these RKKs up to and including a week."""
        if not rkk_keys:
            return set()
        query = (
            select(answers.c.bestuur)
            .distinct()
            .select_from(_ANSWERED)
            .where(
                answers.c.hidden.is_(False),
                rounds.c.week <= until_week,
                rounds.c.rkk_key.in_(list(rkk_keys)),
            )
        )
        async with self._engine.connect() as conn:
            return {r[0] for r in await conn.execute(query)}

    async def theme_counts(self, weeks: Sequence[str], rkk_keys: Collection[str], limit: int) -> Sequence[ThemeCount]:
        """The rode draden raised in these weeks, most besturen first; dismissed, merged and ended themes left out."""
        if not weeks or not rkk_keys:
            return []
        besturen = func.count(distinct(_KNOWN_BESTUUR)).label("besturen")
        query = (
            _theme_join(select(themes.c.key, themes.c.label, besturen, func.count(answers.c.id)))
            .where(
                _in_weeks(weeks, rkk_keys),
                themes.c.ended_at.is_(None),
                themes.c.state.not_in(_GONE),
                or_(themes.c.recurring.is_(True), themes.c.state.in_(_SHOWN)),
            )
            .group_by(themes.c.key, themes.c.label)
            .order_by(desc("besturen"), themes.c.label, themes.c.key)
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            return [ThemeCount(r[0], r[1], int(r[2]), int(r[3])) for r in await conn.execute(query)]

    async def bestuur_rows(self, weeks: Sequence[str], rkk_keys: Collection[str]) -> Sequence[BestuurRow]:
        """Per bestuur: answers, questions answered and RKKs, in these weeks ("onbekend" is nobody's bestuur)."""
        if not weeks or not rkk_keys:
            return []
        query = (
            select(
                answers.c.bestuur,
                func.count(),
                func.count(distinct(answers.c.round_id)),
                func.count(distinct(rounds.c.rkk_key)),
            )
            .select_from(_ANSWERED)
            .where(_in_weeks(weeks, rkk_keys), answers.c.bestuur != UNKNOWN_BESTUUR)
            .group_by(answers.c.bestuur)
        )
        async with self._engine.connect() as conn:
            return [BestuurRow(r[0], int(r[1]), int(r[2]), int(r[3])) for r in await conn.execute(query)]

    async def top_questions(self, weeks: Sequence[str], rkk_keys: Collection[str], limit: int) -> Sequence[QuestionRow]:
        """The questions with the most answers in these weeks (a question asked in several RKKs counts once)."""
        if not weeks or not rkk_keys:
            return []
        count = func.count(answers.c.id).label("answers")
        query = (
            select(
                rounds.c.question_id,
                func.max(rounds.c.question_text),
                count,
                func.count(distinct(_KNOWN_BESTUUR)),
                func.count(distinct(rounds.c.rkk_key)),
            )
            .select_from(_ANSWERED)
            .where(_in_weeks(weeks, rkk_keys))
            .group_by(rounds.c.question_id)
            .order_by(desc("answers"), rounds.c.question_id)
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            return [QuestionRow(r[0], r[1], int(r[2]), int(r[3]), int(r[4])) for r in await conn.execute(query)]

    async def theme_history(self, weeks: Sequence[str], rkk_keys: Collection[str]) -> Sequence[ThemeHistoryRow]:
        """The rode draden raised in these weeks (also ended or dismissed ones), with cross-post and last decision."""
        if not weeks or not rkk_keys:
            return []
        query = (
            _theme_join(
                select(
                    themes.c.key,
                    themes.c.label,
                    themes.c.state,
                    func.count(distinct(_KNOWN_BESTUUR)),
                    func.count(distinct(rounds.c.rkk_key)),
                    func.count(answers.c.id),
                    theme_crossposts.c.posted_at,
                ),
                crossposts=True,
            )
            .where(
                _in_weeks(weeks, rkk_keys),
                themes.c.state != "merged",
                or_(themes.c.recurring.is_(True), theme_crossposts.c.posted_at.is_not(None)),
            )
            .group_by(themes.c.key, themes.c.label, themes.c.state, theme_crossposts.c.posted_at)
        )
        last = select(func.max(theme_decisions.c.id)).group_by(theme_decisions.c.theme_key).scalar_subquery()
        decided = select(theme_decisions.c.theme_key, theme_decisions.c.decision, theme_decisions.c.decided_at).where(
            theme_decisions.c.id.in_(last)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(query)).all()
            decisions = {r[0]: (r[1], as_utc_or_none(r[2])) for r in await conn.execute(decided)}
        return [
            ThemeHistoryRow(
                r[0],
                r[1],
                int(r[3]),
                int(r[4]),
                int(r[5]),
                r[2],
                as_utc_or_none(r[6]),
                *decisions.get(r[0], (None, None)),
            )
            for r in rows
        ]


def _theme_join(query: Select[Any], crossposts: bool = False) -> Select[Any]:
    """Theme answers with their answer, round and theme (and the theme's cross-post, if any)."""
    joined = (
        theme_answers.join(answers, answers.c.id == theme_answers.c.answer_id)
        .join(rounds, rounds.c.id == answers.c.round_id)
        .join(themes, themes.c.key == theme_answers.c.theme_key)
    )
    if crossposts:
        joined = joined.outerjoin(theme_crossposts, theme_crossposts.c.theme_key == themes.c.key)
    return query.select_from(joined)
