"""Descriptions and names on the theme cards, and the "Naam aanpassen" edit view."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cards.crosspost import forward_card, theme_card
from cards.themes import themes_card
from config.rkk_config import ThemeRule
from i18n.catalog import Catalog, load_catalog
from rkk.crosspost import InvalidThemeName, NameProblem, clean_theme_name
from rkk.crosspost.model import ForwardView, Spread, StoredTheme, ThemeStatus, ThemeView
from rkk.crosspost.overview import ThemeOverview
from tests.card_text import actions, elements, runs
from tests.unit.crosspost.test_cards import THREAD, VIEW

EVIL = "5 besturen uit 3 RKK's, bv. Geel: “**vet** [x](https://evil.example) {{DATE(2026-01-01)}}”"
DESCRIBED = ThemeView(**{**VIEW.__dict__, "description": EVIL})


def text_blocks(card: object) -> str:
    """Every TextBlock text of a card, joined."""
    return " ".join(e["text"] for e in elements(card) if e.get("type") == "TextBlock")


def test_the_description_is_a_literal_text_run_under_the_name(texts: Catalog) -> None:
    """The engine's sentence quotes members, so it is a TextRun right after the name, never a TextBlock."""
    card = theme_card(DESCRIBED, texts, "nl")
    shown = runs(card)
    literal = EVIL.replace("{{", "{\u200b{").replace("}}", "}\u200b}")
    assert shown[shown.index("MAGDA documentendienst") + 1] == literal
    assert "evil" not in text_blocks(card)


def test_a_theme_without_a_description_shows_no_empty_line(texts: Catalog) -> None:
    """No description, no block for it."""
    card = theme_card(VIEW, texts, "nl")
    assert "" not in runs(card)


def test_the_edit_view_has_the_name_in_an_input_and_only_save_and_cancel(texts: Catalog) -> None:
    """Input.Text prefilled as stored (no escaping), limited to 80 characters; Plan and Dismiss are hidden."""
    card = theme_card(VIEW, texts, "en", name_draft="MAGDA {{zonder}} papier")
    [field] = [e for e in elements(card) if e.get("type") == "Input.Text"]
    assert field == {
        "type": "Input.Text",
        "id": "themeName",
        "spacing": "Medium",
        "label": "Name of this common thread",
        "value": "MAGDA {{zonder}} papier",
        "maxLength": 80,
        "isRequired": True,
        "errorMessage": "Enter a name of 1 to 80 characters.",
    }
    assert [(a["verb"], a["title"], a["associatedInputs"]) for a in actions(card)] == [
        ("theme_rename_save", "Save", "auto"),
        ("theme_rename_cancel", "Cancel", "none"),
    ]
    assert {a["data"]["themeId"] for a in actions(card)} == {"t-12"}


def test_a_forwarded_thread_has_no_rename_button(texts: Catalog) -> None:
    """Only theme cards can be renamed."""
    card = forward_card(ForwardView("RKK Kempen", "2026-W10", "Vraag?", 1, "Koen", THREAD), texts, "nl")
    assert actions(card) == []


def test_the_themes_card_shows_the_coordinators_name_and_the_description() -> None:
    """`thema's` lists a renamed theme by its new name, with its description as a literal TextRun."""
    theme = StoredTheme(
        "t-1",
        "MAGDA documentendienst",
        (),
        Spread.of(["a", "b"], ["c", "d", "e", "f", "g"]),
        "2026-W10",
        "2026-W12",
        True,
        ThemeStatus.CROSSPOSTED,
        None,
        description=EVIL,
        custom_name="MAGDA zonder papier",
    )
    card = themes_card(ThemeOverview((theme,), 1), ThemeRule(5, 2, 8), load_catalog(), "nl")
    assert runs(card) == ["MAGDA zonder papier", EVIL.replace("{{", "{\u200b{").replace("}}", "}\u200b}")]
    assert "evil" not in text_blocks(card)


def test_a_stored_theme_is_named_by_its_coordinator_else_by_its_label() -> None:
    """`name` is what every card, the export and the scoring ballot show."""
    theme = StoredTheme("t", "Back-ups", (), Spread.of([], []), "2026-W10", "2026-W10", False, ThemeStatus.ACTIVE, None)
    assert theme.name == "Back-ups"
    assert replace(theme, custom_name="Back-ups en herstel").name == "Back-ups en herstel"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Valse mails  ", "Valse mails"),
        ("Valse\nmails\ten   phishing", "Valse mails en phishing"),
        ("Valse\x00 mails\x1b", "Valse mails"),
        ("é" * 80, "é" * 80),
        ("MAGDA 📄", "MAGDA 📄"),
    ],
)
def test_a_name_is_stored_on_one_line_trimmed(typed: str, stored: str) -> None:
    """Spaces collapse, line breaks and control characters go, 80 characters (not bytes) fit."""
    assert clean_theme_name(typed) == stored


@pytest.mark.parametrize(
    ("typed", "problem"),
    [("", NameProblem.EMPTY), ("   ", NameProblem.EMPTY), (None, NameProblem.EMPTY), ("x" * 81, NameProblem.TOO_LONG)],
)
def test_an_empty_or_too_long_name_is_refused(typed: object, problem: NameProblem) -> None:
    """A name has 1 to 80 characters after trimming."""
    with pytest.raises(InvalidThemeName) as refused:
        clean_theme_name(typed)
    assert refused.value.problem is problem
