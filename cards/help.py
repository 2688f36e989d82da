"""The help card: the commands this person may use."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cards.template import expand, load_template
from i18n.catalog import Catalog


def help_card(
    everyone: Sequence[tuple[str, str]], coordinators: Sequence[tuple[str, str]], texts: Catalog, lang: str
) -> dict[str, Any]:
    """A card listing (command, description) pairs, coordinator commands in their own section."""
    data = {
        "title": texts.text("help_title", lang),
        "intro": texts.text("help_intro", lang),
        "everyoneTitle": texts.text("help_everyone", lang),
        "everyone": [{"title": command, "value": text} for command, text in everyone],
        "coordinatorsTitle": texts.text("help_coordinators", lang),
        "coordinators": [{"title": command, "value": text} for command, text in coordinators],
    }
    card: dict[str, Any] = expand(load_template("help"), data)
    return card
