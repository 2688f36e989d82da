"""What the scoring cards show: a ballot (for everyone, or for one viewer), a reminder, the results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rkk.scoring.model import CardPost, Participation, ScoreSet, ScoringRound, Topic
from rkk.scoring.results import Results

MAX_REFRESH_USERS = 60  # Teams refreshes a card automatically for at most 60 listed users (refresh.userIds)


@dataclass(frozen=True)
class Viewer:
    """Who looks at a ballot: their bestuur (None when unknown) and the score set that counts for it."""

    bestuur: str | None
    current: ScoreSet | None


@dataclass(frozen=True)
class BallotView:
    """A ballot in one RKK's channel: the base card everyone sees, or one viewer's own view."""

    scoring_id: int
    rkk_key: str
    rkk_name: str
    deadline: datetime
    topics: tuple[Topic, ...]
    scored: int  # besturen known in this RKK that scored so far (counts only, no names)
    known: int
    user_ids: tuple[str, ...]  # refreshed automatically (at most MAX_REFRESH_USERS)
    closed: bool = False
    results: CardPost | None = None  # where the results are, once posted (for the link)
    viewer: Viewer | None = None  # None: the base card


@dataclass(frozen=True)
class Reminder:
    """The one reply in a ballot's thread a few days before the deadline (counts only, no names)."""

    rkk_name: str
    scored: int
    known: int
    deadline: datetime


@dataclass(frozen=True)
class ResultsView:
    """The results card: the numbers, the top 3 and participation per RKK."""

    round: ScoringRound
    results: Results
    participation: tuple[Participation, ...]
