"""Cards that list things (answers, audit entries, queue items), member text always shown literally."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cards.literal import literal
from cards.template import expand, load_template


@dataclass(frozen=True)
class Row:
    """One listed item: a heading written by the bot, text that may come from a member, optional buttons."""

    heading: str
    text: str
    actions: Sequence[dict[str, Any]] = field(default_factory=tuple)


def listing_card(title: str, rows: Sequence[Row], empty: str) -> dict[str, Any]:
    """A card with a title and one block per row; `empty` is shown when there are no rows."""
    items: list[dict[str, Any]] = []
    for index, row in enumerate(rows):
        items.append(_run_block(row.heading, subtle=True, separator=index > 0))
        items.append(_run_block(row.text, subtle=False, separator=False))
        if row.actions:
            items.append({"type": "ActionSet", "actions": list(row.actions)})
    card: dict[str, Any] = expand(
        load_template("listing"), {"title": title, "empty": "" if rows else empty, "items": items}
    )
    return card


def execute(title: str, verb: str, data: dict[str, Any]) -> dict[str, Any]:
    """An Action.Execute button."""
    return {"type": "Action.Execute", "title": title, "verb": verb, "data": data}


def _run_block(text: str, subtle: bool, separator: bool) -> dict[str, Any]:
    run: dict[str, Any] = {"type": "TextRun", "text": literal(text)}
    if subtle:
        run.update(isSubtle=True, weight="Bolder")
    return {
        "type": "RichTextBlock",
        "separator": separator,
        "spacing": "Medium" if separator else "Small",
        "inlines": [run],
    }
