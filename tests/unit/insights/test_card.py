"""The `rapport` card: Teams charts with table fallbacks of the same numbers, within Teams' size limit."""

from __future__ import annotations

import json
from typing import Any

from bot.outbound.connector import card_activity
from cards.insights import insights_card
from i18n.catalog import Catalog
from tests.card_text import elements, runs, strings
from tests.unit.insights.examples import large_insights, small_insights

CHARTS = {"Chart.Line", "Chart.Donut", "Chart.HorizontalBar", "Chart.VerticalBar.Grouped"}
TEAMS_CARD_LIMIT = 28 * 1024


def charts(card: dict[str, Any]) -> list[dict[str, Any]]:
    """The chart elements of a card."""
    return [element for element in elements(card) if str(element.get("type", "")).startswith("Chart.")]


def chart_numbers(chart: dict[str, Any]) -> list[int]:
    """Every number a chart shows, sorted."""
    if chart["type"] == "Chart.Line":
        return sorted(point["y"] for series in chart["data"] for point in series["values"])
    if chart["type"] == "Chart.Donut":
        return sorted(item["value"] for item in chart["data"])
    return sorted(item["y"] for item in chart["data"])


def table_numbers(table: dict[str, Any]) -> list[int]:
    """Every whole number in a fallback table's body (the header row and the label column left out), sorted."""
    numbers = []
    for row in table["rows"][1:]:
        for cell in row["cells"][1:]:
            for text in [e["text"] for e in elements(cell) if e.get("type") in ("TextBlock", "TextRun")]:
                numbers += [int(part) for part in text.split() if part.isdigit()]
    return sorted(numbers)


def test_only_teams_chart_elements_are_used(texts: Catalog) -> None:
    """The card's charts are Chart.Line, Chart.Donut and Chart.HorizontalBar, nothing else unknown."""
    types = {chart["type"] for chart in charts(insights_card(large_insights(), texts, "nl"))}
    assert types == {"Chart.Line", "Chart.Donut", "Chart.HorizontalBar"} and types <= CHARTS


def test_every_chart_falls_back_to_a_table_with_its_numbers(texts: Catalog) -> None:
    """Each chart's fallback is a Table holding exactly the numbers the chart draws."""
    for insights in (small_insights(), large_insights()):
        for chart in charts(insights_card(insights, texts, "nl")):
            assert chart["fallback"]["type"] == "Table"
            assert table_numbers(chart["fallback"]) == chart_numbers(chart), chart["type"]


def test_a_global_card_has_a_line_per_rkk(texts: Catalog) -> None:
    """A global coordinator's card draws one line per RKK besides the totals."""
    lines = [chart for chart in charts(insights_card(large_insights(), texts, "nl")) if chart["type"] == "Chart.Line"]
    assert [len(chart["data"]) for chart in lines] == [2, 20]


def test_card_stays_under_teams_limit_with_20_rkks_and_300_besturen(texts: Catalog) -> None:
    """The whole message (activity with the card) is under 28 KB, even with every bestuur silent."""
    for lang in ("nl", "en"):
        activity = card_activity(insights_card(large_insights(), texts, lang), "x")
        size = len(json.dumps(activity.serialize(), ensure_ascii=False).encode("utf-8"))
        assert size < TEAMS_CARD_LIMIT, size


def test_silent_besturen_are_named_and_cut_with_a_count(texts: Catalog) -> None:
    """Silent besturen are listed by name; past the size budget the rest is counted, not dropped silently."""
    small = "\n".join(runs(insights_card(small_insights(), texts, "nl")))
    assert "OCMW Diepenbeek" in small
    large = "\n".join(runs(insights_card(large_insights(), texts, "nl")))
    assert "Gemeente Sint-Lievens-Houtem-Zottegem 000" in large and "en nog" in large


def test_theme_labels_are_literal_text_runs(texts: Catalog) -> None:
    """A theme label goes into TextRuns with its braces broken up, never into Markdown TextBlocks."""
    card = insights_card(small_insights(), texts, "nl")
    assert any("MAGDA **documenten**" in run for run in runs(card))
    assert "{{DATE" not in json.dumps(card)


def test_card_is_dutch_first_and_english_on_request(texts: Catalog) -> None:
    """Headings read Dutch by default and English for an English client."""
    assert "Deelname per week" in strings(insights_card(small_insights(), texts, "nl"))
    assert "Participation per week" in strings(insights_card(small_insights(), texts, "en"))


def test_paused_rkks_are_named_under_the_trend(texts: Catalog) -> None:
    """RKKs paused now are named once per end date, so their zero weeks read as a pause."""
    text = strings(insights_card(large_insights(), texts, "nl"))
    assert "Gepauzeerd tot en met 23 november 2026: RKK Regio Oost-Vlaanderen-Zuid 00" in text
    assert text.count("Gepauzeerd") == 1
