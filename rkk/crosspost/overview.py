"""What the coordinators' `thema's` command shows: the stored themes, rode draden first."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from rkk.crosspost.model import StoredTheme, ThemeStatus
from rkk.crosspost.ports import ThemeRepository

logger = logging.getLogger(__name__)

MAX_THEMES = 15


@dataclass(frozen=True)
class ThemeOverview:
    """The themes to show, in order, and how many live themes there are in all."""

    themes: tuple[StoredTheme, ...]
    total: int


def ranked(themes: Iterable[StoredTheme]) -> list[StoredTheme]:
    """Live themes (merged ones left out): rode draden first, then by besturen and RKKs, widest first."""
    live = [t for t in themes if t.status is not ThemeStatus.MERGED]
    return sorted(
        live, key=lambda t: (not t.recurring, -len(t.spread.besturen), -len(t.spread.rkks), t.first_week, t.key)
    )


async def theme_overview(repo: ThemeRepository, limit: int = MAX_THEMES) -> ThemeOverview:
    """The stored themes as the refresh left them, at most `limit` of them."""
    themes = ranked(await repo.list_themes())
    return ThemeOverview(tuple(themes[:limit]), len(themes))
