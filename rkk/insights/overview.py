"""The `rapport` card's and the digest's numbers: the trend, the besturen that answered or were silent, rode draden."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from datetime import date

from rkk.answers import UNKNOWN_BESTUUR
from rkk.insights.model import BesturenSplit, Counts, Insights, ParticipationRow, RkkSeries, Scope, Trend
from rkk.insights.periods import Bucket, Period, bucket_of_week, buckets
from rkk.insights.ports import InsightSource

logger = logging.getLogger(__name__)

THEME_LIMIT = 10  # rode draden shown on the card


async def load_insights(
    source: InsightSource,
    scope: Scope,
    trend_period: Period,
    recent_period: Period,
    *,
    present: Collection[str] = (),
    paused: Mapping[str, date] | None = None,
) -> Insights:
    """Read the aggregates for a scope; `present` are besturen known from the team's roster, `paused` RKK -> until."""
    trend = await load_trend(source, scope, trend_period, paused=paused)
    weeks = recent_period.weeks()
    answering = await source.besturen_answering(weeks, scope.keys)
    known = {*await source.besturen_known(weeks[-1], scope.keys), *present}
    themes = await source.theme_counts(weeks, scope.keys, THEME_LIMIT)
    return Insights(scope, trend_period, recent_period, trend, split_besturen(answering, known), tuple(themes))


async def load_trend(
    source: InsightSource,
    scope: Scope,
    period: Period,
    *,
    monthly: bool | None = None,
    paused: Mapping[str, date] | None = None,
) -> Trend:
    """Participation per bucket (weeks, or months for long periods) per RKK and in total."""
    chosen = buckets(period, monthly)
    of_week = bucket_of_week(chosen)
    rows = await source.participation(of_week, scope.keys)
    asked = await source.questions_asked(of_week, scope.keys)
    return assemble_trend(chosen, scope, rows, asked, paused or {})


def assemble_trend(
    chosen: Sequence[Bucket],
    scope: Scope,
    rows: Sequence[ParticipationRow],
    asked: Mapping[tuple[str, str], int],
    paused: Mapping[str, date],
) -> Trend:
    """Every RKK of the scope with a count for every bucket: what the database did not return is 0."""
    found = {(row.rkk_key, row.bucket): row for row in rows}

    def counts(rkk_key: str) -> tuple[Counts, ...]:
        result = []
        for bucket in chosen:
            row = found.get((rkk_key, bucket.key))
            questions = (
                sum(asked.get((key, bucket.key), 0) for key in scope.keys)
                if rkk_key == ""
                else asked.get((rkk_key, bucket.key), 0)
            )
            result.append(Counts(row.answers if row else 0, row.besturen if row else 0, questions))
        return tuple(result)

    series = tuple(RkkSeries(key, name, counts(key), paused.get(key)) for key, name in scope.rkk_names.items())
    return Trend(tuple(chosen), series, counts(""))


def split_besturen(answering: Mapping[str, int], known: Collection[str]) -> BesturenSplit:
    """Besturen that answered and those known that did not, alphabetically; "onbekend" is nobody's bestuur."""
    answered = sorted(set(answering) - {UNKNOWN_BESTUUR}, key=str.casefold)
    silent = sorted(set(known) - set(answering) - {UNKNOWN_BESTUUR}, key=str.casefold)
    return BesturenSplit(tuple(answered), tuple(silent))
