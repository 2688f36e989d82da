"""The ports of the scoring round: its store, the Teams publisher, and what it reads from other capabilities."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from rkk.crosspost import InstalledTeam, StoredTheme
from rkk.model import AuditEntry, ChannelTarget, Rkk
from rkk.ports import Posted, SendGuard
from rkk.scoring.model import CardPost, NewTopic, PostKind, ScoreExportRow, ScoreSet, ScoringRound, Voter
from rkk.scoring.views import BallotView, Reminder, ResultsView


@dataclass(frozen=True)
class NewRound:
    """What a coordinator started: deadline, audience, threshold, who."""

    deadline: datetime
    threshold: float
    share_with_rkks: bool
    audience: tuple[str, ...]
    started_by_id: str
    started_by: str


@dataclass(frozen=True)
class PostKey:
    """Which card: one per (round, kind, target)."""

    scoring_id: int
    kind: PostKind
    target_key: str


class ScoringRepository(Protocol):
    """Persistent scoring rounds, their cards (claimed once, fenced while sent) and the score sets."""

    async def create_round(self, new: NewRound, topics: Sequence[NewTopic], now: datetime) -> ScoringRound | None:
        """Store a new open round with its topics; None when another round is open."""
        ...

    async def open_round(self) -> ScoringRound | None:
        """The round that is open now, if any."""
        ...

    async def get_round(self, scoring_id: int) -> ScoringRound | None:
        """A round by id."""
        ...

    async def latest_round(self) -> ScoringRound | None:
        """The newest round, open or closed."""
        ...

    async def active_rounds(self, closed_since: datetime) -> Sequence[ScoringRound]:
        """The open round and the rounds closed since `closed_since`, oldest first."""
        ...

    async def close_round(self, scoring_id: int, now: datetime) -> bool:
        """Close an open round; True for exactly one caller."""
        ...

    async def extend_round(self, scoring_id: int, deadline: datetime) -> bool:
        """Move the deadline of an open round; False when it is not open."""
        ...

    async def get_post(self, key: PostKey) -> CardPost | None:
        """A card of the round, if it was ever claimed."""
        ...

    async def posts(self, scoring_id: int) -> Sequence[CardPost]:
        """Every card of the round."""
        ...

    async def claim_post(self, key: PostKey, owner: str, now: datetime, lease: timedelta) -> bool:
        """Own the card: new, failed, or an unsent claim whose lease ran out; False if taken."""
        ...

    async def start_sending(self, key: PostKey, owner: str, now: datetime) -> bool:
        """The fence before the HTTP call: True for exactly one caller, the owner of an unsent claim."""
        ...

    async def stop_sending(self, key: PostKey, owner: str, now: datetime, lease: timedelta) -> None:
        """Teams refused the attempt outright: the claim is unsent again."""
        ...

    async def finish_posted(self, key: PostKey, target: ChannelTarget, posted: Posted, now: datetime) -> bool:
        """Record where the card landed (also adopting a card whose post we lost track of)."""
        ...

    async def finish_failed(self, key: PostKey, error: str) -> None:
        """Teams refused the card after all retries; a later step may claim it again."""
        ...

    async def mark_uncertain(self, key: PostKey, error: str, now: datetime) -> bool:
        """Flag a card that may or may not be in Teams; True the first time."""
        ...

    async def release_uncertain(self, key: PostKey, reason: str) -> bool:
        """An uncertain card a coordinator says did not land: failed, so the next step claims it anew."""
        ...

    async def claim_reminder(self, key: PostKey, deadline: datetime, now: datetime) -> bool:
        """True exactly once per ballot and deadline: the caller replies in its thread."""
        ...

    async def mark_deadline_shown(self, key: PostKey, deadline: datetime) -> None:
        """The ballot in Teams shows this deadline."""
        ...

    async def mark_card_closed(self, key: PostKey, link: str, now: datetime) -> None:
        """The ballot in Teams shows "afgesloten", linking to this results message ("": none yet)."""
        ...

    async def set_post_error(self, key: PostKey, error: str) -> None:
        """Remember the last thing that went wrong with a card."""
        ...

    async def save_scores(
        self, scoring_id: int, rkk_key: str, voter: Voter, scores: Mapping[int, int | None], now: datetime
    ) -> tuple[ScoreSet, ScoreSet | None] | None:
        """Keep the submission and make it the bestuur's score set; the set it replaced. None: round closed."""
        ...

    async def score_set(self, scoring_id: int, bestuur: str) -> ScoreSet | None:
        """The score set that counts for a bestuur."""
        ...

    async def score_sets(self, scoring_id: int) -> Sequence[ScoreSet]:
        """Every bestuur's score set that counts."""
        ...

    async def add_viewer(self, scoring_id: int, rkk_key: str, teams_id: str, now: datetime) -> None:
        """Remember a member who acted on the ballot (their card refreshes automatically)."""
        ...

    async def viewers(self, scoring_id: int, rkk_key: str, limit: int) -> list[str]:
        """The Teams user ids of the members who acted on the ballot most recently."""
        ...

    async def known_besturen(self, scoring_id: int, rkk_keys: Collection[str]) -> dict[str, set[str]]:
        """Per RKK, the besturen of members who ever answered there or submitted scores on its ballot."""
        ...

    async def export_scores(self, scoring_id: int | None = None) -> Sequence[ScoreExportRow]:
        """One row per bestuur per topic of the counted score sets (of one round, or of all)."""
        ...


class RkkDirectory(Protocol):
    """The RKKs the bot knows (rkk.rounds.Store has these)."""

    async def get_rkk(self, key: str) -> Rkk | None:
        """The RKK with this key."""
        ...

    async def list_rkks(self) -> Sequence[Rkk]:
        """Every RKK, by key."""
        ...


class ThemeSource(Protocol):
    """The stored themes and installed teams (rkk.crosspost's ThemeRepository has these)."""

    async def list_themes(self, keys: Sequence[str] | None = None) -> Sequence[StoredTheme]:
        """Themes that have not ended."""
        ...

    async def installed_teams(self) -> Sequence[InstalledTeam]:
        """Every team the bot was installed in, with its channels."""
        ...


class AuditLog(Protocol):
    """Where coordinators' actions are written."""

    async def record(self, entry: AuditEntry) -> None:
        """Write one audit entry."""
        ...


class ScoringPublisher(Protocol):
    """Puts ballots, reminders and results into Teams."""

    async def post_ballot(self, target: ChannelTarget, view: BallotView, guard: SendGuard) -> Posted:
        """Post a ballot as a new thread; raise PostFailed, PostUncertain or Fenced."""
        ...

    async def update_ballot(self, target: ChannelTarget, posted: Posted, view: BallotView) -> None:
        """Replace the ballot's base card (a PUT: safe to repeat)."""
        ...

    async def remind(self, target: ChannelTarget, posted: Posted, reminder: Reminder) -> None:
        """Reply once in the ballot's thread with the counts so far."""
        ...

    async def post_results(self, target: ChannelTarget, view: ResultsView, guard: SendGuard) -> Posted:
        """Post the results card as a new thread; raise PostFailed, PostUncertain or Fenced."""
        ...
