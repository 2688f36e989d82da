"""Records of the annual report: participation per bestuur, the questions with most answers, rode draden."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BestuurRow:
    """One bestuur's participation in a period."""

    bestuur: str
    answers: int
    questions: int  # distinct rounds it answered
    rkks: int  # distinct RKKs it answered in


@dataclass(frozen=True)
class QuestionRow:
    """A question (possibly asked in several RKKs) with its answers in a period."""

    question_id: int
    text: str
    answers: int
    besturen: int
    rkks: int


@dataclass(frozen=True)
class ThemeHistoryRow:
    """A rode draad in a period: how far it spread, when it was cross-posted and what was decided."""

    key: str
    label: str
    besturen: int
    rkks: int
    answers: int
    status: str  # the theme's state: active, crossposted, planned, dismissed
    crossposted_at: datetime | None
    decision: str | None  # plan, dismiss
    decided_at: datetime | None
