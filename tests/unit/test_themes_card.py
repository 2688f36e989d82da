"""The coordinators' theme overview: which themes come first, and how the card shows them."""

from __future__ import annotations

from typing import Any

from cards.themes import themes_card
from config.rkk_config import ThemeRule
from i18n.catalog import load_catalog
from rkk.crosspost.model import Spread, StoredTheme, ThemeStatus
from rkk.crosspost.overview import ThemeOverview, ranked
from tests.card_text import elements, runs

RULE = ThemeRule(min_besturen=5, min_rkks=2, window_weeks=8)


def stored(
    key: str, besturen: int, rkks: int = 1, recurring: bool = False, status: ThemeStatus = ThemeStatus.ACTIVE
) -> StoredTheme:
    """A stored theme reaching that many besturen and RKKs in week 10."""
    spread = Spread.of([f"rkk-{i}" for i in range(rkks)], [f"Bestuur {i}" for i in range(besturen)])
    return StoredTheme(key, f"Thema {key}", (), spread, "2026-W10", "2026-W10", recurring, status, None)


def test_rode_draden_come_first_then_the_widest_and_merged_themes_are_left_out() -> None:
    """Recurring themes lead whatever their size; then more besturen, then more RKKs; merged ones vanish."""
    themes = [
        stored("small", 1),
        stored("wide", 4),
        stored("wide-two-rkks", 4, rkks=2),
        stored("rode-draad", 2, rkks=2, recurring=True),
        stored("merged", 9, recurring=True, status=ThemeStatus.MERGED),
    ]
    assert [t.key for t in ranked(themes)] == ["rode-draad", "wide-two-rkks", "wide", "small"]


def test_the_card_shows_labels_only_in_text_runs() -> None:
    """A label with Markdown and a template function is a literal TextRun, never a TextBlock."""
    theme = StoredTheme(
        "t-x",
        "**vet** {{DATE(2026-01-01)}}",
        (),
        Spread.of(["a"], ["b"]),
        "2026-W10",
        "2026-W10",
        False,
        ThemeStatus.ACTIVE,
        None,
    )
    card = themes_card(ThemeOverview((theme,), 1), RULE, load_catalog(), "nl")
    assert runs(card) == ["**vet** {\u200b{DATE(2026-01-01)}\u200b}"]
    assert not any("vet" in e["text"] for e in elements(card) if e.get("type") == "TextBlock")


def test_the_card_is_adaptive_card_1_5_without_placeholders() -> None:
    """Filled in every state, the card is complete: schema 1.5, no "${" left."""
    themes = tuple(
        stored(status.value, 5, 2, True, status)
        for status in (ThemeStatus.ACTIVE, ThemeStatus.CROSSPOSTED, ThemeStatus.PLANNED, ThemeStatus.DISMISSED)
    )
    for lang in ("nl", "en"):
        card: dict[str, Any] = themes_card(ThemeOverview(themes, 20), RULE, load_catalog(), lang)
        assert card["version"] == "1.5"
        assert "${" not in repr(card)
