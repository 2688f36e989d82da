"""A confirmation card with a destructive and a cancel button."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cards.template import expand, load_template


def confirm_card(
    title: str, text: str, confirm: tuple[str, str], cancel: tuple[str, str], data: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """`confirm` and `cancel` are (button title, Action.Execute verb); both buttons carry `data`."""
    values = {
        "title": title,
        "text": text,
        "confirmTitle": confirm[0],
        "confirmVerb": confirm[1],
        "cancelTitle": cancel[0],
        "cancelVerb": cancel[1],
        "data": dict(data or {}),
    }
    card: dict[str, Any] = expand(load_template("confirm"), values)
    return card
