"""The setup card of a scoring round: rode draden to pick, topics by hand, deadline, audience.

Input ids are positional ("t0", "l0", "m0label", ...); the button's data lists the theme keys in
the same order, and the server checks each against the current rode draden before using it.
Theme labels come from members' answers: in a Toggle's title they render as plain text.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cards.template import expand, load_template
from i18n.catalog import Catalog
from rkk.crosspost import StoredTheme
from rkk.model import Rkk
from rkk.scoring import MAX_DESCRIPTION_CHARS, MAX_LABEL_CHARS

logger = logging.getLogger(__name__)

MANUAL_SLOTS = 3


@dataclass(frozen=True)
class SetupView:
    """What the setup card offers: the rode draden, the RKKs, the proposed deadline (Brussels time)."""

    themes: tuple[StoredTheme, ...]
    rkks: tuple[Rkk, ...]
    deadline: datetime
    error: str = ""


def theme_input(index: int) -> str:
    """The toggle that picks the index-th rode draad."""
    return f"t{index}"


def local_input(index: int) -> str:
    """The toggle that says whether the index-th rode draad has lokale impact."""
    return f"l{index}"


def manual_inputs(slot: int) -> tuple[str, str, str]:
    """The label, description and lokale-impact inputs of a topic typed by hand."""
    return f"m{slot}label", f"m{slot}description", f"m{slot}local"


def setup_card(view: SetupView, texts: Catalog, lang: str) -> dict[str, Any]:
    """The setup card (Adaptive Card 1.5)."""
    template = load_template("scoring_setup")
    local_title = texts.text("scoring_setup_local", lang)
    themes = [
        expand(
            template["theme"],
            {
                "pick": theme_input(i),
                "label": theme.label,
                "meta": texts.text(
                    "scoring_topic_spread", lang, besturen=len(theme.spread.besturen), rkks=len(theme.spread.rkks)
                ),
                "local": local_input(i),
                "localTitle": local_title,
            },
        )
        for i, theme in enumerate(view.themes)
    ]
    manual = []
    for slot in range(MANUAL_SLOTS):
        label_id, description_id, local_id = manual_inputs(slot)
        manual.append(
            expand(
                template["manual"],
                {
                    "labelId": label_id,
                    "labelLabel": texts.text("scoring_setup_manual_label", lang, number=slot + 1),
                    "labelHint": texts.text("scoring_setup_manual_label_hint", lang),
                    "labelMax": MAX_LABEL_CHARS,
                    "descriptionId": description_id,
                    "descriptionLabel": texts.text("scoring_setup_manual_description", lang),
                    "descriptionHint": texts.text("scoring_setup_manual_description_hint", lang),
                    "descriptionMax": MAX_DESCRIPTION_CHARS,
                    "local": local_id,
                    "localTitle": local_title,
                },
            )
        )
    data = {
        "title": texts.text("scoring_setup_title", lang),
        "intro": texts.text("scoring_setup_intro", lang),
        "error": view.error,
        "themesTitle": texts.text("scoring_setup_themes", lang),
        "noThemes": "" if view.themes else texts.text("scoring_setup_no_themes", lang),
        "themes": themes,
        "manualTitle": texts.text("scoring_setup_manual", lang),
        "manual": manual,
        "deadlineTitle": texts.text("scoring_setup_deadline", lang),
        "dateLabel": texts.text("scoring_setup_date", lang),
        "date": view.deadline.date().isoformat(),
        "timeLabel": texts.text("scoring_setup_time", lang),
        "time": view.deadline.strftime("%H:%M"),
        "audienceLabel": texts.text("scoring_setup_audience", lang),
        "audience": ",".join(rkk.key for rkk in view.rkks),
        "rkks": [{"title": rkk.name, "value": rkk.key} for rkk in view.rkks],
        "shareTitle": texts.text("scoring_setup_share", lang),
        "startTitle": texts.text("scoring_setup_start", lang),
        "themeKeys": [theme.key for theme in view.themes],
    }
    card: dict[str, Any] = expand(template["card"], data)
    return card


def chosen_rkks(rkks: Sequence[Rkk]) -> tuple[Rkk, ...]:
    """The RKKs a setup card offers: those the bot can post in, by key."""
    return tuple(sorted((rkk for rkk in rkks if rkk.reachable), key=lambda rkk: rkk.key))
