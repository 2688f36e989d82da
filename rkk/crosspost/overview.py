"""What the coordinators' `thema's` command shows: the stored themes, rode draden first."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from rkk.crosspost.model import PlannedMeeting, StoredTheme, ThemeStatus
from rkk.crosspost.ports import ThemeRepository

logger = logging.getLogger(__name__)

MAX_THEMES = 15


@dataclass(frozen=True)
class ThemeOverview:
    """The themes to show, in order, and how many live themes there are in all."""

    themes: tuple[StoredTheme, ...]
    total: int
    meetings: Mapping[str, PlannedMeeting] = field(default_factory=dict)  # theme key -> its kennismoment


def ranked(themes: Iterable[StoredTheme]) -> list[StoredTheme]:
    """Live themes (merged ones left out): rode draden first, then by besturen and RKKs, widest first."""
    live = [t for t in themes if t.status is not ThemeStatus.MERGED]
    return sorted(
        live, key=lambda t: (not t.recurring, -len(t.spread.besturen), -len(t.spread.rkks), t.first_week, t.key)
    )


async def theme_overview(repo: ThemeRepository, limit: int = MAX_THEMES) -> ThemeOverview:
    """The stored themes as the refresh left them, at most `limit` of them."""
    themes = ranked(await repo.list_themes())
    shown = tuple(themes[:limit])
    return ThemeOverview(shown, len(themes), await repo.planned_meetings([t.key for t in shown]))
