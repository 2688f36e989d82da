"""Insights: participation and theme aggregates for the `rapport` card, the weekly digest and the annual report."""

from rkk.insights.digest import DigestOutcome, digest_week, post_digest
from rkk.insights.model import (
    BesturenSplit,
    Counts,
    Insights,
    ParticipationRow,
    RkkSeries,
    Scope,
    ThemeCount,
    Trend,
    theme_caption,
)
from rkk.insights.overview import load_insights, load_trend
from rkk.insights.periods import (
    RECENT_WEEKS,
    TREND_WEEKS,
    Bucket,
    InvalidPeriod,
    Period,
    buckets,
    parse_period,
    weeks_back,
)
from rkk.insights.ports import DigestClaims, DigestPublisher, InsightSource
from rkk.insights.report import bestuur_participation, monthly_participation, theme_history, top_questions
from rkk.insights.report_model import BestuurRow, QuestionRow, ThemeHistoryRow

__all__ = [
    "RECENT_WEEKS",
    "TREND_WEEKS",
    "BesturenSplit",
    "BestuurRow",
    "Bucket",
    "Counts",
    "DigestClaims",
    "DigestOutcome",
    "DigestPublisher",
    "InsightSource",
    "Insights",
    "InvalidPeriod",
    "ParticipationRow",
    "Period",
    "QuestionRow",
    "RkkSeries",
    "Scope",
    "ThemeCount",
    "ThemeHistoryRow",
    "Trend",
    "bestuur_participation",
    "buckets",
    "digest_week",
    "load_insights",
    "load_trend",
    "monthly_participation",
    "parse_period",
    "post_digest",
    "theme_caption",
    "theme_history",
    "top_questions",
    "weeks_back",
]
