"""The theme and forward cards: literal quotes, buttons by status, safe links, Dutch and English."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cards.crosspost import forward_card, theme_card, thread_link
from i18n.catalog import Catalog
from rkk.crosspost.model import (
    Decision,
    DecisionRecord,
    ForwardView,
    Quote,
    SourceThread,
    Spread,
    ThemeStatus,
    ThemeView,
)

THREAD = SourceThread("RKK Kempen", "2026-W10", "19:kempen", "group/kempen", "19:vraag@thread.tacv2;messageid=17", "17")
VIEW = ThemeView(
    key="t-12",
    label="MAGDA documentendienst",
    rkk_count=3,
    bestuur_count=5,
    rkk_names=("RKK Antwerpen", "RKK Kempen", "RKK Limburg"),
    quotes=(
        Quote("**vet** <at>Iedereen</at> [x](https://evil.example) {{DATE(2026-01-01)}}", "Geel", "RKK Kempen", None),
        Quote("Wij wachten op de machtiging.", "Hoogstraten", "RKK Kempen", "An Peeters"),
    ),
    sources=(THREAD,),
    status=ThemeStatus.CROSSPOSTED,
    decision=None,
)


def elements(node: Any) -> list[dict[str, Any]]:
    """Every element of a card, depth first."""
    if isinstance(node, dict):
        return [node, *(e for v in node.values() for e in elements(v))]
    if isinstance(node, list):
        return [e for v in node for e in elements(v)]
    return []


def verbs(card: dict[str, Any]) -> list[str]:
    """The Action.Execute verbs of a card."""
    return [a["verb"] for a in card.get("actions", []) if a["type"] == "Action.Execute"]


def test_quotes_are_text_runs_never_text_blocks(texts: Catalog) -> None:
    """Member text is only in TextRuns, with template functions broken up."""
    card = theme_card(VIEW, texts, "nl")
    blocks = [e["text"] for e in elements(card) if e.get("type") == "TextBlock"]
    runs = [e["text"] for e in elements(card) if e.get("type") == "TextRun"]
    assert not any("evil" in b or "vet" in b for b in blocks)
    [quoted] = [r for r in runs if "evil" in r]
    assert quoted == "“**vet** <at>Iedereen</at> [x](https://evil.example) {\u200b{DATE(2026-01-01)}\u200b}”"


def test_the_card_shows_counts_label_quotes_with_bestuur_and_names_only_when_given(texts: Catalog) -> None:
    """Label, RKK and bestuur counts, and each quote's bestuur; a name only where the view has one."""
    runs = [e["text"] for e in elements(theme_card(VIEW, texts, "nl")) if e.get("type") == "TextRun"]
    assert "MAGDA documentendienst" in runs and "3 RKK's · 5 besturen" in runs
    assert "— Geel (RKK Kempen)" in runs and "— An Peeters, Hoogstraten (RKK Kempen)" in runs


def test_an_open_theme_offers_both_buttons_with_its_own_id(texts: Catalog) -> None:
    """Plan, dismiss and rename, as Action.Execute, each carrying the theme id."""
    card = theme_card(VIEW, texts, "nl")
    assert verbs(card) == ["theme_plan", "theme_dismiss", "theme_rename"]
    assert {a["data"]["themeId"] for a in card["actions"]} == {"t-12"}
    assert [a["title"] for a in card["actions"]] == ["Plan een kennismoment", "Geen rode draad", "Naam aanpassen"]


def test_a_decided_theme_shows_who_decided_and_offers_the_other_choice(texts: Catalog) -> None:
    """A dismissed theme shows the dismissal and, besides renaming, only the plan button."""
    at = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    decision = DecisionRecord("t-12", Decision.DISMISS, "aad-g", "Griet *Globaal*", at, Spread.of([], []))
    view = ThemeView(**{**VIEW.__dict__, "status": ThemeStatus.DISMISSED, "decision": decision})
    card = theme_card(view, texts, "en")
    assert verbs(card) == ["theme_plan", "theme_rename"]
    runs = [e["text"] for e in elements(card) if e.get("type") == "TextRun"]
    assert "Not a common thread according to Griet *Globaal* (01-12-2026)." in runs  # Brussels date


def test_source_links_are_encoded_teams_deep_links(texts: Catalog) -> None:
    """Links are built from Teams ids only, percent-encoded."""
    link = thread_link(THREAD)
    assert link == (
        "https://teams.microsoft.com/l/message/19%3Avraag%40thread.tacv2/17?groupId=group%2Fkempen&parentMessageId=17"
    )
    card = theme_card(VIEW, texts, "nl")
    assert [e["selectAction"]["url"] for e in elements(card) if "selectAction" in e] == [link]


def test_the_forward_card_opens_the_thread(texts: Catalog) -> None:
    """A forwarded thread shows its question literally and a button that opens the thread."""
    view = ForwardView("RKK Kempen", "2026-W10", "Hoe **pakken** jullie dit aan?", 2, "Koen", THREAD)
    card = forward_card(view, texts, "nl")
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "Open de draad", "url": thread_link(THREAD)}]
    runs = [e["text"] for e in elements(card) if e.get("type") == "TextRun"]
    assert "Hoe **pakken** jullie dit aan?" in runs and "2 antwoorden tot nu toe." in runs
