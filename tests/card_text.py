"""Reading Adaptive Cards in tests: the texts a user sees, the text runs, the buttons."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def elements(node: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in a card (or list of cards), depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from elements(value)
    elif isinstance(node, list):
        for item in node:
            yield from elements(item)


def strings(card: Any) -> str:
    """All visible strings of a card (text, title, value), one per line."""
    return "\n".join(
        value
        for element in elements(card)
        for key, value in element.items()
        if key in ("text", "title", "value") and isinstance(value, str)
    )


def runs(card: Any) -> list[str]:
    """The texts of the card's TextRuns (where member-written text goes)."""
    return [element["text"] for element in elements(card) if element.get("type") == "TextRun"]


def actions(card: Any, verb: str | None = None) -> list[dict[str, Any]]:
    """The card's Action.Execute buttons, optionally only those with one verb."""
    return [
        element
        for element in elements(card)
        if element.get("type") == "Action.Execute" and (verb is None or element.get("verb") == verb)
    ]


def inputs_of(card: Any) -> dict[str, Any]:
    """The card's inputs: id -> prefilled value."""
    return {
        element["id"]: element.get("value")
        for element in elements(card)
        if str(element.get("type", "")).startswith("Input.") and "id" in element
    }
