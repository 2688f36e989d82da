"""Records of the scoring round: topics, the round itself, besturen's score sets and the cards it posts."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime

from rkk.model import ChannelTarget

SCORE_MIN, SCORE_MAX = 0, 10
HIGH_FROM = 7  # "hoog": 7 to 10
MIDDLE_FROM = 5  # "midden": 5 and 6; "laag": 0 to 4
DEFAULT_THRESHOLD = 0.6  # the share "hoog" a top-3 topic needs: a great majority of the scoring besturen
TOP_SIZE = 3
UMBRELLA = "overkoepelend"  # the target of a card posted in RKK Overkoepelend (other targets are RKK keys)


class ScoringState(enum.StrEnum):
    """Whether a scoring round still takes scores."""

    OPEN = "open"
    CLOSED = "closed"


class PostKind(enum.StrEnum):
    """The cards a scoring round posts: a ballot per audience RKK, results in Overkoepelend (and RKKs)."""

    BALLOT = "ballot"
    RESULTS = "results"


@dataclass(frozen=True)
class NewTopic:
    """A topic as the coordinator chose it, before it is stored (a ballot never changes while open)."""

    label: str
    description: str  # one sentence; empty when none is known
    theme_key: str | None  # the rode draad it comes from; None for a topic added by hand
    besturen: int  # how many besturen raised it (0 for a topic added by hand)
    rkks: int
    local_impact: bool


@dataclass(frozen=True)
class Topic(NewTopic):
    """A stored topic of a scoring round; `id` is what ballots and score sets refer to."""

    id: int
    position: int


@dataclass(frozen=True)
class ScoringRound:
    """One scoring round: its topics, audience, deadline and the top-3 threshold it was started with."""

    id: int
    state: ScoringState
    deadline: datetime
    threshold: float
    share_with_rkks: bool  # the results card also goes to every audience RKK
    audience: tuple[str, ...]  # RKK keys
    started_by: str  # display name
    started_at: datetime
    closed_at: datetime | None
    topics: tuple[Topic, ...]

    def accepts(self, now: datetime) -> bool:
        """Whether a score set may still be submitted at `now`."""
        return self.state is ScoringState.OPEN and now < self.deadline

    def topic(self, topic_id: int) -> Topic | None:
        """The topic with this id, if it belongs to this round."""
        return next((t for t in self.topics if t.id == topic_id), None)


@dataclass(frozen=True)
class Voter:
    """The member submitting for their bestuur: Entra object id, Teams user id (for card refresh), name."""

    member_id: str
    teams_id: str
    name: str
    bestuur: str


@dataclass(frozen=True)
class ScoreSet:
    """The score set that counts for one bestuur: the latest submission of any of its members."""

    scoring_id: int
    bestuur: str
    rkk_key: str  # where it was submitted
    member_name: str
    submitted_at: datetime
    scores: Mapping[int, int | None]  # topic id -> 0..10, None: not scored


@dataclass(frozen=True)
class CardPost:
    """A card the round posted (or is posting): claimed once per (round, kind, target), fenced while sent."""

    scoring_id: int
    kind: PostKind
    target_key: str  # an RKK key, or UMBRELLA
    state: str  # claimed, posted, failed
    target: ChannelTarget | None
    conversation_id: str | None
    message_id: str | None
    posted_at: datetime | None = None
    sending_at: datetime | None = None
    uncertain_at: datetime | None = None
    reminded_for: datetime | None = None  # the deadline the reminder in its thread was sent for
    shown_deadline: datetime | None = None  # the deadline the ballot in Teams shows
    card_closed_at: datetime | None = None  # the ballot shows "afgesloten"
    closed_link: str | None = None  # the results message its closed view links to ("" for none yet)
    last_error: str | None = None

    @property
    def posted(self) -> bool:
        """Whether Teams took the card and we know where it is."""
        return self.state == "posted" and bool(self.conversation_id and self.message_id)


@dataclass(frozen=True)
class Participation:
    """How many besturen of one RKK scored, of those known in its team."""

    rkk_key: str
    rkk_name: str
    scored: int
    known: int


@dataclass(frozen=True)
class ScoreExportRow:
    """One bestuur's score for one topic, as written by `app.py export --scores`."""

    scoring_id: int
    topic_id: int
    theme_key: str
    topic: str
    bestuur: str
    rkk: str
    score: str  # "" when the bestuur left the topic empty
    submitted_by: str
    submitted_at: str


SCORE_COLUMNS = tuple(field.name for field in fields(ScoreExportRow))
