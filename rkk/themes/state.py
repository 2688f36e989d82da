"""The detection state: everything needed to add a week of answers without rereading history."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from rkk.themes.model import AnswerFeatures
from rkk.themes.vectors import WeekRows

logger = logging.getLogger(__name__)


@dataclass
class ThemeState:
    """Everything needed to add a week without rereading history."""

    features: dict[str, AnswerFeatures] = field(default_factory=dict)
    assignment: dict[str, str] = field(default_factory=dict)  # answer id -> theme key
    by_week: dict[int, list[str]] = field(default_factory=dict)  # week index -> answer ids
    members: dict[str, list[str]] = field(default_factory=dict)  # theme key -> answer ids
    theme_terms: dict[str, dict[str, float]] = field(default_factory=dict)  # key -> summed terms
    theme_held: dict[str, dict[str, int]] = field(default_factory=dict)  # key -> answers holding each term
    term_df: dict[str, int] = field(default_factory=dict)  # answers holding each term
    surface: dict[str, str] = field(default_factory=dict)  # lemma -> first spelling seen
    topical_count: int = 0  # answers that are not noise
    week_rows: dict[int, WeekRows] = field(default_factory=dict)  # cache: stacked rows per week
