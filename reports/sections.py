"""The report's sections, each reading its numbers through the InsightSource port (SQL aggregates).

`report_sections` is the one place that says which sections the report has: a scoring section, once
scoring rounds exist, is one more class here and one more line in that list.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from i18n.calendar import format_date, format_month
from reports.charts import bar_chart, line_chart
from reports.page import Rendered, ReportContext, ReportSection, figure, paragraph, subheading, table
from rkk.answers import UNKNOWN_BESTUUR
from rkk.insights import (
    InsightSource,
    Trend,
    bestuur_participation,
    monthly_participation,
    theme_caption,
    theme_history,
    top_questions,
)

logger = logging.getLogger(__name__)

BESTUUR_CHART_ROWS = 25  # the table lists every bestuur; the chart the most active ones


def report_sections(source: InsightSource) -> tuple[ReportSection, ...]:
    """The sections of the annual report, in order."""
    return (
        SummarySection(source),
        ParticipationSection(source),
        BesturenSection(source),
        QuestionsSection(source),
        ThemesSection(source),
    )


class SummarySection:
    """The year in one sentence: answers, besturen, questions and RKKs."""

    def __init__(self, source: InsightSource) -> None:
        self._source = source

    async def render(self, context: ReportContext) -> Rendered:
        """Totals over the whole period (a bestuur counts once, however many RKKs it answered in)."""
        weeks = context.period.weeks()
        by_bestuur = await self._source.besturen_answering(weeks, context.scope.keys)
        asked = await self._source.questions_asked({week: "" for week in weeks}, context.scope.keys)
        counts = {
            "answers": sum(by_bestuur.values()),
            "besturen": len(set(by_bestuur) - {UNKNOWN_BESTUUR}),
            "questions": sum(asked.values()),
            "rkks": len(context.scope.keys),
        }
        phrases = {key: context.texts.count(f"report_count_{key}", n, context.lang) for key, n in counts.items()}
        text = context.t("report_summary", **phrases)
        return Rendered("samenvatting", context.t("report_summary_title"), paragraph(text, "summary"))


class ParticipationSection:
    """Answers per RKK per month (chart and table), and the totals over all RKKs per month."""

    def __init__(self, source: InsightSource) -> None:
        self._source = source

    async def render(self, context: ReportContext) -> Rendered:
        """The chart of answers per RKK per month, a table per RKK and one of the totals."""
        trend = await monthly_participation(self._source, context.scope, context.period)
        months = [format_month(bucket.start, context.lang, short=True) for bucket in trend.buckets]
        answers = context.t("report_answers")
        series = [(rkk.rkk_name, [c.answers for c in rkk.counts]) for rkk in trend.rkks]
        per_rkk = table(
            "deelname-per-rkk",
            [context.t("report_rkk"), *months, context.t("report_total")],
            [[name, *values, sum(values)] for name, values in series],
            [context.t("report_all_rkks"), *[c.answers for c in trend.total], sum(c.answers for c in trend.total)],
        )
        parts = [
            paragraph(context.t("report_participation_intro")),
            figure(line_chart(months, series, answers), context.t("report_participation_title")),
            per_rkk,
            subheading(context.t("report_totals_title")),
            _totals(context, trend, months),
        ]
        return Rendered("deelname", context.t("report_participation_title"), "\n".join(parts))


def _totals(context: ReportContext, trend: Trend, months: Sequence[str]) -> str:
    rows: list[list[str | int]] = [
        [m, c.questions, c.answers, c.besturen] for m, c in zip(months, trend.total, strict=True)
    ]
    header = [context.t("report_month"), context.t("report_questions"), context.t("report_answers")]
    return table("deelname-totaal", [*header, context.t("report_besturen")], rows)


class BesturenSection:
    """Every bestuur that answered: answers, questions answered and RKKs."""

    def __init__(self, source: InsightSource) -> None:
        self._source = source

    async def render(self, context: ReportContext) -> Rendered:
        """A bar chart of the most active besturen and a table of all of them."""
        rows = await bestuur_participation(self._source, context.scope, context.period)
        title = context.t("report_besturen_title")
        if not rows:
            return Rendered("besturen", title, paragraph(context.t("report_empty"), "empty"))
        top = rows[:BESTUUR_CHART_ROWS]
        header = [context.t("report_bestuur"), context.t("report_answers"), context.t("report_questions")]
        parts = [
            paragraph(context.t("report_besturen_intro", count=len(top))),
            figure(bar_chart([r.bestuur for r in top], [r.answers for r in top], context.t("report_answers")), title),
            table(
                "besturen",
                [*header, context.t("report_rkks")],
                [[r.bestuur, r.answers, r.questions, r.rkks] for r in rows],
            ),
        ]
        return Rendered("besturen", title, "\n".join(parts))


class QuestionsSection:
    """The questions with the most answers (a question asked in several RKKs counts once)."""

    def __init__(self, source: InsightSource) -> None:
        self._source = source

    async def render(self, context: ReportContext) -> Rendered:
        """A bar chart and a table of the top questions."""
        rows = await top_questions(self._source, context.scope, context.period)
        title = context.t("report_questions_title")
        if not rows:
            return Rendered("vragen", title, paragraph(context.t("report_empty"), "empty"))
        header = [context.t("report_question"), context.t("report_answers"), context.t("report_besturen")]
        parts = [
            figure(bar_chart([r.text for r in rows], [r.answers for r in rows], context.t("report_answers")), title),
            table(
                "vragen",
                [*header, context.t("report_rkks")],
                [[r.text, r.answers, r.besturen, r.rkks] for r in rows],
            ),
        ]
        return Rendered("vragen", title, "\n".join(parts))


class ThemesSection:
    """The rode draden of the period with their spread, cross-post and decision."""

    def __init__(self, source: InsightSource) -> None:
        self._source = source

    async def render(self, context: ReportContext) -> Rendered:
        """A bar chart of besturen per rode draad and a table with cross-posts and decisions."""
        rows = await theme_history(self._source, context.scope, context.period)
        title = context.t("report_themes_title")
        if not rows:
            return Rendered("rode-draden", title, paragraph(context.t("report_empty"), "empty"))
        captions = [theme_caption(row) for row in rows]
        body: list[list[str | int]] = []
        for caption, row in zip(captions, rows, strict=True):
            posted = format_date(row.crossposted_at.date(), context.lang) if row.crossposted_at else None
            decided = format_date(row.decided_at.date(), context.lang) if row.decided_at else ""
            decision = (
                context.t(f"report_decision_{row.decision}", date=decided)
                if row.decision
                else context.t("report_decision_none")
            )
            posted_text = posted or context.t("report_not_crossposted")
            body.append([caption, row.besturen, row.rkks, row.answers, posted_text, decision])
        header = [context.t("report_theme"), context.t("report_besturen"), context.t("report_rkks")]
        header += [context.t("report_answers"), context.t("report_crossposted"), context.t("report_decision")]
        parts = [
            paragraph(context.t("report_themes_intro")),
            figure(bar_chart(captions, [r.besturen for r in rows], context.t("report_besturen")), title),
            table("rode-draden-tabel", header, body),
        ]
        return Rendered("rode-draden", title, "\n".join(parts))
