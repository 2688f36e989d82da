"""The annual report's numbers: participation per RKK per month, per bestuur, top questions, rode draden."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from rkk.insights.model import Scope, Trend
from rkk.insights.overview import load_trend
from rkk.insights.periods import Period
from rkk.insights.ports import InsightSource
from rkk.insights.report_model import BestuurRow, QuestionRow, ThemeHistoryRow

logger = logging.getLogger(__name__)

TOP_QUESTIONS = 10


async def monthly_participation(source: InsightSource, scope: Scope, period: Period) -> Trend:
    """Answers, besturen and questions per RKK per month."""
    return await load_trend(source, scope, period, monthly=True)


async def bestuur_participation(source: InsightSource, scope: Scope, period: Period) -> Sequence[BestuurRow]:
    """Every bestuur that answered in the period, most answers first."""
    rows = await source.bestuur_rows(period.weeks(), scope.keys)
    return sorted(rows, key=lambda row: (-row.answers, row.bestuur.casefold()))


async def top_questions(source: InsightSource, scope: Scope, period: Period) -> Sequence[QuestionRow]:
    """The questions with the most answers in the period."""
    return await source.top_questions(period.weeks(), scope.keys, TOP_QUESTIONS)


async def theme_history(source: InsightSource, scope: Scope, period: Period) -> Sequence[ThemeHistoryRow]:
    """The rode draden of the period with their cross-posts and decisions, most besturen first."""
    rows = await source.theme_history(period.weeks(), scope.keys)
    return sorted(rows, key=lambda row: (-row.besturen, row.label.casefold()))
