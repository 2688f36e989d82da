"""A confirmation card with a destructive and a cancel button."""

from __future__ import annotations

from typing import Any

from cards.template import expand, load_template


def confirm_card(title: str, text: str, confirm: tuple[str, str], cancel: tuple[str, str]) -> dict[str, Any]:
    """`confirm` and `cancel` are (button title, Action.Execute verb)."""
    data = {
        "title": title,
        "text": text,
        "confirmTitle": confirm[0],
        "confirmVerb": confirm[1],
        "cancelTitle": cancel[0],
        "cancelVerb": cancel[1],
    }
    card: dict[str, Any] = expand(load_template("confirm"), data)
    return card
