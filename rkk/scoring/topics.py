"""Which rode draden a round may score, and how a topic is made from a stored theme or typed by hand."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from rkk.crosspost import StoredTheme, ThemeStatus
from rkk.scoring.errors import InvalidSetup
from rkk.scoring.model import NewTopic

logger = logging.getLogger(__name__)

MAX_LABEL_CHARS = 120
MAX_DESCRIPTION_CHARS = 300
_NOT_SCORED = (ThemeStatus.DISMISSED, ThemeStatus.MERGED)  # "geen rode draad", or folded into another theme


def rode_draden(themes: Iterable[StoredTheme]) -> list[StoredTheme]:
    """The rode draden a round can score: recurring, not dismissed or merged, widest first (ended ones
    never reach here: the theme store does not list them)."""
    live = [t for t in themes if t.recurring and t.status not in _NOT_SCORED]
    return sorted(live, key=lambda t: (-len(t.spread.besturen), -len(t.spread.rkks), t.label.casefold(), t.key))


def topic_from_theme(theme: StoredTheme, local_impact: bool = True) -> NewTopic:
    """The one place a stored theme becomes a topic: its label, description and spread as they are now.

    Stored themes have no description yet, so the topic gets an empty one (the ballot shows none);
    when themes carry one, it is read here and nowhere else.
    """
    return NewTopic(
        label=one_line(theme.label)[:MAX_LABEL_CHARS],
        description="",
        theme_key=theme.key,
        besturen=len(theme.spread.besturen),
        rkks=len(theme.spread.rkks),
        local_impact=local_impact,
    )


def manual_topic(label: str, description: str, local_impact: bool = True) -> NewTopic:
    """A topic a coordinator typed: a label and a one-line description, within their lengths."""
    label, description = one_line(label), one_line(description)
    if not label:
        raise InvalidSetup("manual topic without label", reason="label_missing")
    if len(label) > MAX_LABEL_CHARS:
        raise InvalidSetup("label too long", reason="label_too_long", limit=MAX_LABEL_CHARS)
    if len(description) > MAX_DESCRIPTION_CHARS:
        raise InvalidSetup("description too long", reason="description_too_long", limit=MAX_DESCRIPTION_CHARS)
    return NewTopic(label, description, None, 0, 0, local_impact)


def one_line(text: str) -> str:
    """The text on one line, its whitespace collapsed."""
    return " ".join(text.split())
