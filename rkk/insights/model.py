"""Records of participation and theme aggregates: what the card, the digest and the report show."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from rkk.insights.periods import Bucket, Period

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Counts:
    """Participation in one bucket: visible answers, distinct besturen that gave them, questions asked."""

    answers: int = 0
    besturen: int = 0
    questions: int = 0


@dataclass(frozen=True)
class ParticipationRow:
    """One row of the participation aggregate; `rkk_key` is empty for the totals over every RKK."""

    rkk_key: str
    bucket: str
    answers: int
    besturen: int


@dataclass(frozen=True)
class RkkSeries:
    """One RKK's counts per bucket, in bucket order (a bucket without answers counts 0)."""

    rkk_key: str
    rkk_name: str
    counts: tuple[Counts, ...]
    paused_until: date | None = None  # set when the RKK is paused now


@dataclass(frozen=True)
class Trend:
    """Participation per bucket, per RKK and over all of them (a bestuur in two RKKs counts once)."""

    buckets: tuple[Bucket, ...]
    rkks: tuple[RkkSeries, ...]
    total: tuple[Counts, ...]


@dataclass(frozen=True)
class BesturenSplit:
    """The besturen of the RKKs that answered in a window and those that did not (organisations, never people)."""

    answered: tuple[str, ...]
    silent: tuple[str, ...]


@dataclass(frozen=True)
class ThemeCount:
    """A rode draad with how many distinct besturen and answers raised it in a window."""

    key: str
    label: str
    besturen: int
    answers: int


@dataclass(frozen=True)
class Scope:
    """Which RKKs an insight covers, and how they are named; `everything` for a global coordinator."""

    rkk_names: Mapping[str, str]  # key -> name, in display order
    everything: bool

    @property
    def keys(self) -> tuple[str, ...]:
        """The RKK keys covered."""
        return tuple(self.rkk_names)


@dataclass(frozen=True)
class Insights:
    """Everything the `rapport` card and the weekly digest show."""

    scope: Scope
    trend_period: Period
    recent_period: Period
    trend: Trend
    besturen: BesturenSplit
    themes: tuple[ThemeCount, ...]


class Labelled(Protocol):
    """A theme as the card and the report show it."""

    @property
    def label(self) -> str:
        """The theme's label (words members wrote)."""
        ...


def theme_caption(theme: Labelled) -> str:
    """The one place that says how a theme is named to readers: its label (its description, once themes have one)."""
    return theme.label
