"""The help card."""

from __future__ import annotations

from typing import Any

from cards.help import help_card
from i18n.catalog import load_catalog

EVERYONE = [("help", "Dit overzicht van de commando's.")]
COORDINATORS = [("post nu", "Post de vraag van deze week nu (één keer per week).")]


def blocks(card: dict[str, Any]) -> list[str]:
    """The text of every TextBlock in the body."""
    return [element["text"] for element in card["body"] if element["type"] == "TextBlock"]


def fact_sets(card: dict[str, Any]) -> list[list[dict[str, str]]]:
    """The facts of every FactSet in the body."""
    return [element["facts"] for element in card["body"] if element["type"] == "FactSet"]


def test_help_card_lists_commands_for_everyone_as_facts() -> None:
    """Each command and its description is one fact."""
    card = help_card(EVERYONE, [], load_catalog(), "nl")
    assert fact_sets(card) == [[{"title": "help", "value": "Dit overzicht van de commando's."}]]


def test_help_card_without_coordinator_commands_has_no_coordinator_section() -> None:
    """A member sees neither the coordinator heading nor an empty FactSet."""
    card = help_card(EVERYONE, [], load_catalog(), "nl")
    assert "Voor coördinatoren" not in blocks(card)
    assert len(fact_sets(card)) == 1


def test_help_card_with_coordinator_commands_adds_their_section() -> None:
    """A coordinator sees the heading and their commands after the ones for everyone."""
    card = help_card(EVERYONE, COORDINATORS, load_catalog(), "nl")
    assert blocks(card)[-1] == "Voor coördinatoren"
    assert fact_sets(card)[-1] == [{"title": "post nu", "value": COORDINATORS[0][1]}]


def test_help_card_has_title_and_intro_in_dutch() -> None:
    """Dutch viewers get the Dutch title, intro and section heading."""
    texts = load_catalog()
    assert blocks(help_card(EVERYONE, [], texts, "nl"))[:3] == [
        texts.text("help_title", "nl"),
        texts.text("help_intro", "nl"),
        "Voor iedereen",
    ]


def test_help_card_in_english() -> None:
    """English viewers get English headings."""
    card = help_card(EVERYONE, COORDINATORS, load_catalog(), "en")
    assert {"What can the question of the week bot do?", "For everyone", "For coordinators"} <= set(blocks(card))


def test_help_card_is_adaptive_card_1_5_without_placeholders() -> None:
    """The card is complete: schema 1.5, no "${" left."""
    card = help_card(EVERYONE, COORDINATORS, load_catalog(), "nl")
    assert card["version"] == "1.5"
    assert "${" not in repr(card)
