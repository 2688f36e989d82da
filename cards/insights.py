"""The `rapport` card (and the weekly digest): native Teams charts, each with a table fallback of the same numbers.

Teams renders `Chart.*` elements; a client that cannot falls back to the `fallback` element, here a
Table holding every number of the chart. Theme labels are words members wrote, so they only go into
TextRuns (cards/literal.py); bestuur names, organisations and never people, too. The list of silent
besturen is cut at a size budget so that the card stays under Teams' 28 KB with hundreds of besturen.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from typing import Any

from cards.literal import literal
from cards.template import expand, load_template
from i18n.calendar import format_date, format_month
from i18n.catalog import Catalog
from rkk.insights import Bucket, Counts, Insights, Period, Trend, theme_caption
from rkk.rounds import week_number

logger = logging.getLogger(__name__)

SILENT_BUDGET = 1500  # characters of silent bestuur names on one card; the annual report lists them all
LABEL_CHARS = 60  # a theme label longer than this is cut on the card (labels may have up to 300)


class _Parts:
    """The template's parts, filled in one language."""

    def __init__(self, texts: Catalog, lang: str) -> None:
        self.texts, self.lang = texts, lang
        self._parts = load_template("insights")

    def t(self, key: str, **params: object) -> str:
        return self.texts.text(key, self.lang, **params)

    def part(self, name: str, **values: Any) -> Any:
        return expand(self._parts[name], values)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[Any]], literal_first: bool = False) -> Any:
        """A Table whose first row names the columns; a cell is a number or text (member text as a TextRun)."""

        def cell(value: Any, index: int) -> Any:
            if literal_first and index == 0 and isinstance(value, str):
                return self.part("runCell", text=literal(value))
            return self.part("numberCell" if isinstance(value, int) else "cell", text=str(value))

        columns = [{"width": 2 if index == 0 else 1} for index in range(len(header))]
        body = [{"type": "TableRow", "cells": [self.part("cell", text=h) for h in header]}]
        body += [{"type": "TableRow", "cells": [cell(v, i) for i, v in enumerate(row)]} for row in rows]
        return self.part("table", columns=columns, rows=body)


def insights_card(insights: Insights, texts: Catalog, lang: str) -> dict[str, Any]:
    """The card (Adaptive Card 1.5 with Teams charts): trend, besturen that answered or not, rode draden."""
    p = _Parts(texts, lang)
    scope = insights.scope
    if scope.everything:
        name = p.t("insights_scope_all")
    elif len(scope.rkk_names) == 1:
        name = next(iter(scope.rkk_names.values()))
    else:
        name = p.t("insights_scope_some", count=len(scope.rkk_names))
    sections = [*_trend(p, insights), *_besturen(p, insights), *_themes(p, insights)]
    card: dict[str, Any] = expand(
        load_template("insights")["card"],
        {
            "title": p.t("insights_title", scope=name),
            "subtitle": _period(p, insights.trend_period),
            "sections": sections,
        },
    )
    return card


def _period(p: _Parts, period: Period) -> str:
    return p.t("insights_period", start=format_date(period.start, p.lang), end=format_date(period.end, p.lang))


def _label(p: _Parts, bucket: Bucket) -> str:
    if bucket.monthly:
        return format_month(bucket.start, p.lang, short=True)
    return p.t("insights_week_label", number=week_number(bucket.key))


def _line(p: _Parts, title: str, trend: Trend, series: Sequence[tuple[str, Sequence[int]]], fallback: Any) -> Any:
    monthly = bool(trend.buckets) and trend.buckets[0].monthly
    data = [
        {
            "legend": legend,
            "values": [{"x": b.start.isoformat(), "y": y} for b, y in zip(trend.buckets, values, strict=True)],
        }
        for legend, values in series
    ]
    axis = p.t("insights_axis_month" if monthly else "insights_axis_week")
    return p.part(
        "line", title=title, xAxisTitle=axis, yAxisTitle=p.t("insights_axis_count"), data=data, fallback=fallback
    )


def _trend(p: _Parts, insights: Insights) -> list[Any]:
    trend = insights.trend
    monthly = bool(trend.buckets) and trend.buckets[0].monthly
    title = p.t("insights_trend_month" if monthly else "insights_trend_week")
    answers, besturen = p.t("insights_answers"), p.t("insights_besturen")
    labels = [_label(p, b) for b in trend.buckets]
    totals = _series(trend.total)
    table = p.table(
        [p.t("insights_axis_month" if monthly else "insights_axis_week"), answers, besturen],
        [(label, a, b) for label, a, b in zip(labels, totals[0], totals[1], strict=True)],
    )
    parts = [
        p.part("heading", text=title),
        _line(p, title, trend, [(answers, totals[0]), (besturen, totals[1])], table),
    ]
    if len(trend.rkks) > 1:
        per_rkk = p.t("insights_trend_rkks_month" if monthly else "insights_trend_rkks_week")
        series = [(rkk.rkk_name, _series(rkk.counts)[0]) for rkk in trend.rkks]
        header = p.t("insights_per_bucket", first=labels[0], last=labels[-1]) if labels else answers
        compact = p.table(
            [p.t("insights_rkk"), header], [(name, " ".join(map(str, values))) for name, values in series]
        )
        parts += [p.part("heading", text=per_rkk), _line(p, per_rkk, trend, series, compact)]
    paused: dict[date, list[str]] = {}
    for rkk in trend.rkks:
        if rkk.paused_until is not None:
            paused.setdefault(rkk.paused_until, []).append(rkk.rkk_name)
    for until, names in sorted(paused.items()):
        text = p.t("insights_paused_until", rkks=", ".join(names), until=format_date(until, p.lang))
        parts.append(p.part("note", text=text))
    return parts


def _series(counts: Sequence[Counts]) -> tuple[list[int], list[int]]:
    return [c.answers for c in counts], [c.besturen for c in counts]


def _besturen(p: _Parts, insights: Insights) -> list[Any]:
    split = insights.besturen
    heading = p.part("heading", text=p.t("insights_besturen_title", period=_period(p, insights.recent_period)))
    if not split.answered and not split.silent:
        return [heading, p.part("note", text=p.t("insights_besturen_none"))]
    answered, silent = p.t("insights_answered"), p.t("insights_silent")
    table = p.table(
        [p.t("insights_besturen"), p.t("insights_axis_count")],
        [(answered, len(split.answered)), (silent, len(split.silent))],
    )
    data = [
        {"legend": answered, "value": len(split.answered), "color": "good"},
        {"legend": silent, "value": len(split.silent), "color": "neutral"},
    ]
    parts = [heading, p.part("donut", title=heading["text"], data=data, fallback=table)]
    if not split.silent:
        return [*parts, p.part("note", text=p.t("insights_silent_none"))]
    shown, used = [], 0
    for name in split.silent:
        if used + len(name) > SILENT_BUDGET:
            break
        shown.append(name)
        used += len(name) + 2
    names = ", ".join(shown)
    if len(shown) < len(split.silent):
        names += p.t("insights_silent_more", count=len(split.silent) - len(shown))
    return [*parts, p.part("names", lead=p.t("insights_silent_lead"), names=literal(names))]


def _themes(p: _Parts, insights: Insights) -> list[Any]:
    heading = p.part("heading", text=p.t("insights_themes_title", period=_period(p, insights.recent_period)))
    if not insights.themes:
        return [heading, p.part("note", text=p.t("insights_themes_none"))]
    besturen = p.t("insights_besturen")
    rows = [(_short(theme_caption(theme)), theme.besturen) for theme in insights.themes]
    table = p.table([p.t("insights_theme"), besturen], rows, literal_first=True)
    data = [{"x": literal(label), "y": count} for label, count in rows]
    return [heading, p.part("bars", title=heading["text"], yAxisTitle=besturen, data=data, fallback=table)]


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def insights_summary(texts: Catalog, lang: str) -> str:
    """The notification text of the digest card."""
    return texts.text("insights_digest_summary", lang)
