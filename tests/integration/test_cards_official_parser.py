"""Every card the bot sends, in every view, passes the official Adaptive Cards parser (npm adaptivecards)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from cards.confirm import confirm_card
from cards.crosspost import theme_card
from cards.help import help_card
from cards.insights import insights_card
from cards.listing import Row, execute, listing_card
from cards.question import QuestionView, question_card
from cards.template import TEMPLATES
from cards.themes import themes_card
from config.rkk_config import ThemeRule
from i18n.catalog import Catalog
from rkk.crosspost.model import ThemeStatus
from rkk.crosspost.overview import ThemeOverview
from tests.unit.crosspost.test_cards import VIEW
from tests.unit.insights.examples import large_insights, small_insights
from tests.unit.test_themes_card import stored

ROOT = Path(__file__).resolve().parents[2]
HARNESS = ROOT / "tests" / "cards" / "parse_cards.mjs"
pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (ROOT / "node_modules" / "adaptivecards").is_dir(),
    reason="node or node_modules/adaptivecards missing: run `make setup`",
)
# Teams renders these although the official parser does not know them; each must fall back to an element it knows.
TEAMS_CHARTS = ("Chart.Line", "Chart.VerticalBar.Grouped", "Chart.Donut", "Chart.HorizontalBar")

BASE = QuestionView(
    7, "RKK Kempen", "2026-W48", "Hoe pakken jullie **MAGDA** aan? [x](http://y) {{DATE(2026-01-01)}}", 3
)


def _cards(texts: Catalog) -> dict[str, dict[str, Any]]:
    cards: dict[str, dict[str, Any]] = {}
    for lang in ("nl", "en"):
        views = {
            "open": BASE,
            "answered": QuestionView(**{**BASE.__dict__, "answer": "<at>Iedereen</at> *ja*", "notice": "Bedankt!"}),
            "editing": QuestionView(**{**BASE.__dict__, "answer": "oud", "editing": True}),
            "error": QuestionView(**{**BASE.__dict__, "error": "Je antwoord is leeg.", "draft": "x"}),
        }
        for name, view in views.items():
            cards[f"question-{name}-{lang}"] = question_card(view, texts, lang)
        cards[f"help-{lang}"] = help_card([("help", "uitleg")], [("post nu", "posten")], texts, lang)
        rows = [Row("An · Gemeente Brasschaat", "**vet** [x](http://y)", [execute("Hoger", "queue_up", {"id": 1})])]
        cards[f"listing-{lang}"] = listing_card("Antwoorden", rows, "leeg")
        cards[f"listing-empty-{lang}"] = listing_card("Antwoorden", [], "Nog geen antwoorden.")
        cards[f"crosspost-{lang}"] = theme_card(VIEW, texts, lang)
        states = (ThemeStatus.ACTIVE, ThemeStatus.CROSSPOSTED, ThemeStatus.PLANNED, ThemeStatus.DISMISSED)
        overview = ThemeOverview((*(stored(s.value, 5, 2, True, s) for s in states), stored("open", 1)), 20)
        cards[f"themes-{lang}"] = themes_card(overview, ThemeRule(5, 2, 8), texts, lang)
        cards[f"themes-empty-{lang}"] = themes_card(ThemeOverview((), 0), ThemeRule(5, 2, 8), texts, lang)
        cards[f"insights-{lang}"] = insights_card(small_insights(), texts, lang)
        cards[f"insights-large-{lang}"] = insights_card(large_insights(), texts, lang)
        cards[f"confirm-{lang}"] = confirm_card(
            "Wissen?", "Dit wist alles.", ("Ja", "delete_confirm"), ("Nee", "delete_cancel")
        )
    return cards


def test_every_template_is_covered(texts: Catalog) -> None:
    """Each JSON template in cards/templates is among the cards checked below."""
    checked = {name.split("-")[0] for name in _cards(texts)}
    assert checked == {path.stem for path in TEMPLATES.glob("*.json")}


def test_every_card_view_parses_without_errors(texts: Catalog, tmp_path: Path) -> None:
    """The official parser reports zero errors for every filled card, in Dutch and English (Teams charts through
    their fallbacks, which the parser checks in their place)."""
    files = []
    for name, card in _cards(texts).items():
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(card), encoding="utf-8")
        files.append(str(path))
    allowed = [arg for chart in TEAMS_CHARTS for arg in ("--allow-element", chart)]
    result = subprocess.run(
        ["node", str(HARNESS), *allowed, *files], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    reports = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(reports) == len(files)
    problems = {Path(r["file"]).stem: r["errors"] for r in reports if r["errors"]}
    assert problems == {}
    assert result.returncode == 0, result.stderr
