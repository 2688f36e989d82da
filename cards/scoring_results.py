"""The results card of a scoring round: the top 3, a native Teams chart with its numbers as a table for
clients without charts, the full ranking as a table, and participation per RKK.

`Chart.HorizontalBar.Stacked` is a Teams extension of Adaptive Cards (not in the official schema):
its `fallback` is a Table of the same numbers, which every 1.5 client renders. Each top topic is a
Container whose id names the topic ("top-{topic id}"), so a later button can act on it.
"""

from __future__ import annotations

import logging
from typing import Any
from zoneinfo import ZoneInfo

from cards.literal import literal
from cards.template import expand, load_template
from i18n.calendar import format_moment
from i18n.catalog import Catalog
from rkk.scoring import TOP_SIZE, Participation, ResultsView, TopicResult

logger = logging.getLogger(__name__)

BRUSSELS = ZoneInfo("Europe/Brussels")
BAND_COLORS = (("scoring_band_low", "attention"), ("scoring_band_middle", "warning"), ("scoring_band_high", "good"))


def number(value: float | None, lang: str) -> str:
    """One decimal, a decimal comma in Dutch; "-" when there is no value."""
    if value is None:
        return "-"
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang != "en" else text


def percent(value: float) -> str:
    """A share as a whole percentage."""
    return f"{round(value * 100)}%"


def top_container_id(result: TopicResult) -> str:
    """The id of a top topic's container on the card."""
    return f"top-{result.topic.id}"


def results_card(view: ResultsView, texts: Catalog, lang: str) -> dict[str, Any]:
    """The results card (Adaptive Card 1.5 with one Teams chart)."""
    round_, results = view.round, view.results
    closed = round_.closed_at or round_.deadline
    data = {
        "title": texts.text("scoring_results_title", lang),
        "meta": texts.text(
            "scoring_results_meta",
            lang,
            started=format_moment(round_.started_at.astimezone(BRUSSELS), lang),
            closed=format_moment(closed.astimezone(BRUSSELS), lang),
            participants=results.participants,
        ),
        "topTitle": texts.text("scoring_top_title", lang),
        "top": [_top(r, texts, lang) for r in results.top],
        "topNote": _top_note(view, texts, lang),
        "rankingTitle": texts.text("scoring_ranking_title", lang),
        "chart": _chart(view, texts, lang),
        "ranking": _ranking(view, texts, lang),
        "howTo": texts.text("scoring_how_ranked", lang, threshold=percent(round_.threshold)),
        "participationTitle": texts.text("scoring_participation_title", lang),
        "participation": [_participation(p, texts, lang) for p in view.participation],
        "participationNote": texts.text("scoring_participation_note", lang),
    }
    card: dict[str, Any] = expand(load_template("scoring_results")["card"], data)
    return card


def _participation(part: Participation, texts: Catalog, lang: str) -> dict[str, str]:
    """One fact: the RKK and how many of its known besturen scored (FactSet titles render no Markdown)."""
    value = texts.text("scoring_participation_row", lang, scored=part.scored, known=part.known)
    return {"title": part.rkk_name, "value": value}


def _numbers(result: TopicResult, texts: Catalog, lang: str) -> str:
    return texts.text(
        "scoring_topic_numbers",
        lang,
        share=percent(result.share_high),
        mean=number(result.mean, lang),
        median=number(result.median, lang),
        scored=result.scored,
    )


def _top(result: TopicResult, texts: Catalog, lang: str) -> Any:
    data = {
        "id": top_container_id(result),
        "label": literal(f"{result.rank}. {result.topic.label}"),
        "numbers": _numbers(result, texts, lang),
    }
    return expand(load_template("scoring_results")["top"], data)


def _top_note(view: ResultsView, texts: Catalog, lang: str) -> str:
    found = len(view.results.top)
    if found >= TOP_SIZE:
        return ""
    threshold = percent(view.round.threshold)
    if found == 0:
        return texts.text("scoring_top_none", lang, threshold=threshold)
    return texts.text("scoring_top_fewer", lang, count=found, threshold=threshold)


def _cell(text: str, member_text: bool = False) -> Any:
    """A table cell; text that may come from members goes into a TextRun."""
    template = load_template("scoring_results")["runCell" if member_text else "textCell"]
    return expand(template, {"text": literal(text) if member_text else text})


def _table(header: list[str], rows: list[list[tuple[str, bool]]], widths: list[int]) -> Any:
    cells = [[_cell(h) for h in header], *([_cell(text, run) for text, run in row] for row in rows)]
    data = {
        "columns": [{"width": w} for w in widths],
        "rows": [{"type": "TableRow", "cells": row} for row in cells],
    }
    return expand(load_template("scoring_results")["table"], data)


def _label(result: TopicResult, texts: Catalog, lang: str) -> str:
    label = result.topic.label
    return label if result.topic.local_impact else f"{label} ({texts.text('scoring_not_local', lang)})"


def _chart(view: ResultsView, texts: Catalog, lang: str) -> Any:
    """Low, middle and high per topic as a stacked bar; its fallback is a table of the same numbers."""
    bands = [(texts.text(key, lang), color) for key, color in BAND_COLORS]
    data = []
    rows = []
    for r in view.results.topics:
        counts = (r.low, r.middle, r.high)
        data.append(
            {
                "title": literal(r.topic.label),
                "data": [{"legend": b, "value": n, "color": c} for (b, c), n in zip(bands, counts, strict=True)],
            }
        )
        rows.append([(r.topic.label, True), *((str(n), False) for n in counts)])
    header = [texts.text("scoring_col_topic", lang), *(b for b, _ in bands)]
    fallback = _table(header, rows, [4, 1, 1, 1])
    chart = {"title": texts.text("scoring_chart_title", lang), "data": data, "fallback": fallback}
    return expand(load_template("scoring_results")["chart"], chart)


def _ranking(view: ResultsView, texts: Catalog, lang: str) -> Any:
    """The whole ranking with every number, visible in every client."""
    header = [texts.text(f"scoring_col_{name}", lang) for name in ("rank", "topic", "scored", "mean", "median", "high")]
    rows = [
        [
            (str(r.rank), False),
            (_label(r, texts, lang), True),
            (str(r.scored), False),
            (number(r.mean, lang), False),
            (number(r.median, lang), False),
            (percent(r.share_high), False),
        ]
        for r in view.results.topics
    ]
    return _table(header, rows, [1, 5, 2, 2, 2, 2])
