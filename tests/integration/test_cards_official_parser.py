"""Every card the bot sends, in every view, passes the official Adaptive Cards parser (npm adaptivecards)."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from cards.confirm import confirm_card
from cards.crosspost import theme_card
from cards.help import help_card
from cards.insights import insights_card
from cards.listing import Row, execute, listing_card
from cards.meetings import FormSpec, FormValues, form_card, meeting_card, move_spec
from cards.question import QuestionView, question_card
from cards.template import TEMPLATES
from cards.themes import themes_card
from config.rkk_config import ThemeRule
from i18n.catalog import Catalog
from rkk.crosspost.model import PlannedMeeting, ThemeStatus, ThemeView
from rkk.crosspost.overview import ThemeOverview
from rkk.meetings import MeetingState, Viewer
from rkk.rounds.weeks import BRUSSELS
from tests.card_text import elements
from tests.unit.crosspost.test_cards import VIEW
from tests.unit.insights.examples import large_insights, small_insights
from tests.unit.meetings.fakes import NOW, sample_view
from tests.unit.scoring.test_cards import scoring_cards
from tests.unit.test_themes_card import stored

ROOT = Path(__file__).resolve().parents[2]
HARNESS = ROOT / "tests" / "cards" / "parse_cards.mjs"
pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (ROOT / "node_modules" / "adaptivecards").is_dir(),
    reason="node or node_modules/adaptivecards missing: run `make setup`",
)
# Teams renders these although the official parser does not know them; each must fall back to an element it knows.
# The Teams chart elements the cards use; the official parser does not know them, and checks their fallbacks.
TEAMS_CHARTS = (
    "Chart.Line",
    "Chart.VerticalBar.Grouped",
    "Chart.Donut",
    "Chart.HorizontalBar",
    "Chart.HorizontalBar.Stacked",
)

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
        described = replace(VIEW, description="5 besturen uit 3 RKK's melden **nepmails**.")
        cards[f"crosspost-renaming-{lang}"] = theme_card(described, texts, lang, name_draft="Valse mails")
        states = (ThemeStatus.ACTIVE, ThemeStatus.CROSSPOSTED, ThemeStatus.PLANNED, ThemeStatus.DISMISSED)
        described = replace(stored("named", 6, 3, True), description="6 besturen uit 3 RKK's.", custom_name="X")
        overview = ThemeOverview((*(stored(s.value, 5, 2, True, s) for s in states), stored("open", 1), described), 20)
        cards[f"themes-{lang}"] = themes_card(overview, ThemeRule(5, 2, 8), texts, lang)
        cards[f"themes-empty-{lang}"] = themes_card(ThemeOverview((), 0), ThemeRule(5, 2, 8), texts, lang)
        planned = PlannedMeeting(NOW + timedelta(days=10), "MAGDA **in** de praktijk")
        cards[f"crosspost-planned-{lang}"] = theme_card(
            ThemeView(**{**VIEW.__dict__, "status": ThemeStatus.PLANNED, "meeting": planned}), texts, lang, notice="OK"
        )
        cards[f"themes-planned-{lang}"] = themes_card(
            ThemeOverview((stored("t-p", 5, 2, True, ThemeStatus.PLANNED),), 1, {"t-p": planned}),
            ThemeRule(5, 2, 8),
            texts,
            lang,
        )
        meetings = {
            "everyone": (sample_view(), False),
            "going": (sample_view(viewer=Viewer(True, False)), False),
            "coordinator": (sample_view(viewer=Viewer(False, True)), False),
            "confirm": (sample_view(viewer=Viewer(None, True)), True),
            "onsite": (sample_view(mode="onsite", members=0, refresh=()), False),
            "running": (sample_view(now=NOW + timedelta(days=10, hours=4, minutes=5)), False),
            "cancelled": (sample_view(state=MeetingState.CANCELLED), False),
        }
        for name, (view, confirm) in meetings.items():
            cards[f"meeting-{name}-{lang}"] = meeting_card(view, texts, lang, BRUSSELS, confirm_cancel=confirm)
        values = FormValues(title="MAGDA", date="2026-12-07", description="Uitleg\nmet twee regels")
        submit, back = ("meeting_plan", {"themeId": "t-1"}), ("meeting_plan_back", {"themeId": "t-1"})
        for name, ask_link in (("link", True), ("graph", False)):
            spec = FormSpec("Rode draad: MAGDA", values, submit, back, True, ask_link, "Uitleg.", "Kies een datum.")
            cards[f"meeting_form-{name}-{lang}"] = form_card(spec, texts, lang, NOW, BRUSSELS)
        cards[f"meeting_form-move-{lang}"] = form_card(move_spec("MAGDA", values, 7), texts, lang, NOW, BRUSSELS)
        cards[f"insights-{lang}"] = insights_card(small_insights(), texts, lang)
        cards[f"insights-large-{lang}"] = insights_card(large_insights(), texts, lang)
        cards[f"confirm-{lang}"] = confirm_card(
            "Wissen?", "Dit wist alles.", ("Ja", "delete_confirm"), ("Nee", "delete_cancel")
        )
        cards |= {f"{name}-{lang}": card for name, card in scoring_cards(texts, lang).items()}
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
    problems = {Path(r["file"]).stem: r["errors"] for r in reports}
    assert {name: found for name, found in problems.items() if found} == {}
    assert result.stderr == ""


def test_every_chart_is_an_allowed_teams_chart_with_a_table_fallback(texts: Catalog) -> None:
    """Charts only of the allowed types, each with a Table `fallback` for clients without charts."""
    found = [e for card in _cards(texts).values() for e in elements(card)]
    charts = [e for e in found if str(e.get("type", "")).startswith("Chart.")]
    assert charts, "the results card has a chart"
    assert {chart["type"] for chart in charts} <= set(TEAMS_CHARTS)
    assert all(chart["fallback"]["type"] == "Table" for chart in charts)
