"""A readable Dutch table of themes for the command line."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from rkk.themes.model import Theme

logger = logging.getLogger(__name__)


def format_themes(themes: Sequence[Theme]) -> str:
    """One line per theme, rode draden first, with the numbers a coordinator looks at and its description."""
    if not themes:
        return "Geen thema's gevonden."
    ordered = sorted(themes, key=lambda t: (not t.recurring, -len(t.besturen), t.label))
    width = max(len(t.label) for t in ordered)
    lines = [f"{'thema'.ljust(width)}  rode draad  besturen  rkk's  antwoorden  weken"]
    for theme in ordered:
        lines.append(
            f"{theme.label.ljust(width)}  {'ja' if theme.recurring else 'nee':<10}  {len(theme.besturen):>8}  "
            f"{len(theme.rkks):>5}  {len(theme.answer_ids):>10}  {theme.first_week} - {theme.last_week}"
        )
        if theme.description:
            lines.append(f"  {theme.description}")
    return "\n".join(lines)
