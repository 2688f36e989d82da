"""The coordinators' theme overview card: the stored themes, rode draden first.

Labels and descriptions are made of words members wrote, and names are typed by coordinators, so
they only ever go into TextRuns (see cards/literal.py); the state and the counts are the bot's own texts.
"""

from __future__ import annotations

import logging
from typing import Any

from cards.crosspost import BRUSSELS
from cards.literal import literal
from cards.template import expand, load_template
from config.rkk_config import ThemeRule
from i18n.calendar import format_moment
from i18n.catalog import Catalog
from rkk.crosspost import PlannedMeeting, StoredTheme, ThemeOverview, ThemeStatus

logger = logging.getLogger(__name__)

# Where a theme stands -> (catalogue key, text colour); an active theme depends on the rule's verdict.
_STATES = {
    ThemeStatus.CROSSPOSTED: ("themes_state_crossposted", "Accent"),
    ThemeStatus.PLANNED: ("themes_state_planned", "Good"),
    ThemeStatus.DISMISSED: ("themes_state_dismissed", "Default"),
}
_RECURRING = ("themes_state_recurring", "Accent")
_OPEN = ("themes_state_open", "Default")


def _row(theme: StoredTheme, meeting: PlannedMeeting | None, texts: Catalog, lang: str) -> Any:
    key, color = _STATES.get(theme.status) or (_RECURRING if theme.recurring else _OPEN)
    state = texts.text(key, lang)
    if meeting is not None:
        state = texts.text(
            "themes_state_planned_on", lang, date=format_moment(meeting.starts_at.astimezone(BRUSSELS), lang)
        )
        color = "Good"
    if theme.first_week == theme.last_week:
        weeks = texts.text("themes_week", lang, week=theme.first_week)
    else:
        weeks = texts.text("themes_weeks", lang, first=theme.first_week, last=theme.last_week)
    spread = theme.spread
    meta = " · ".join(
        (texts.count("themes_besturen", len(spread.besturen), lang), texts.count("themes_rkks", len(spread.rkks), lang))
    )
    return expand(
        load_template("themes")["row"],
        {
            "label": literal(theme.name),
            "description": literal(theme.description),
            "state": state,
            "stateColor": color,
            "meta": f"{meta} · {weeks}",
        },
    )


def themes_card(overview: ThemeOverview, rule: ThemeRule, texts: Catalog, lang: str) -> dict[str, Any]:
    """The overview (Adaptive Card 1.5): the rode-draad rule, then one block per theme."""
    shown = len(overview.themes)
    data = {
        "title": texts.text("themes_title", lang),
        "rule": texts.text(
            "themes_rule",
            lang,
            min_besturen=rule.min_besturen,
            min_rkks=rule.min_rkks,
            window_weeks=rule.window_weeks,
        ),
        "empty": "" if shown else texts.text("themes_none", lang),
        "rows": [_row(theme, overview.meetings.get(theme.key), texts, lang) for theme in overview.themes],
        "shown": texts.text("themes_shown", lang, shown=shown, total=overview.total) if overview.total > shown else "",
    }
    card: dict[str, Any] = expand(load_template("themes")["card"], data)
    return card
