"""The ports theme refresh and cross-posting need: the theme store and the umbrella publisher."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from rkk.crosspost.model import (
    CrossPost,
    DecisionRecord,
    Evidence,
    ForwardView,
    Growth,
    InstalledTeam,
    PlannedMeeting,
    SourceThread,
    Spread,
    StoredTheme,
    ThemeStatus,
    ThemeView,
)
from rkk.model import AuditEntry, ChannelTarget
from rkk.ports import Posted, SendGuard
from rkk.themes import FeatureRecord, Theme, ThemeAnswer, ThemeQuestion


@dataclass(frozen=True)
class PendingAnswer:
    """A visible answer whose features are missing or out of date."""

    answer: ThemeAnswer
    question: ThemeQuestion
    updated_at: datetime


@dataclass(frozen=True)
class ThreadSource:
    """A question thread that can be forwarded, with its round and answer count."""

    round_id: int
    question: str
    answer_count: int
    thread: SourceThread


@dataclass(frozen=True)
class ForwardRecord:
    """A forward of a thread: its state and, once posted, where it landed."""

    round_id: int
    state: str  # claimed, posted, failed
    target_team_id: str | None
    conversation_id: str | None
    message_id: str | None


@dataclass(frozen=True)
class ThemeChanges:
    """What one refresh changed: written in one transaction."""

    themes: Sequence[Theme]  # themes whose answers changed (new ones included)
    assigned: Mapping[str, str]  # answer id -> theme key, for new and moved answers
    unassigned: Sequence[str]  # answers that left every theme (deleted or hidden)
    merged: Mapping[str, str]  # vanished theme key -> the key that absorbed it
    ended: Sequence[str]  # vanished theme keys none of whose answers is in a theme any more
    clustered: Sequence[str]  # answer ids the stored state now holds
    removed: Sequence[str]  # answer ids whose features are dropped
    # theme key -> (label, description) of every live theme: a label can change while a theme's answers
    # do not (it is weighed against all answers), so the store rewrites the ones that differ.
    labels: Mapping[str, tuple[str, str]] = field(default_factory=dict)


class ThemeRepository(Protocol):
    """Persistent themes, their answers' features, cross-posts, decisions and forwards."""

    async def lease(self, name: str, holder: str, now: datetime, seconds: int) -> bool:
        """Take or renew a named lease; False while another holder has it."""
        ...

    async def release(self, name: str, holder: str) -> None:
        """Give a lease back."""
        ...

    async def answers_to_featurize(self, version: int) -> Sequence[PendingAnswer]:
        """Visible answers without current features."""
        ...

    async def save_features(self, items: Sequence[tuple[FeatureRecord, datetime]], now: datetime) -> None:
        """Store features (with the answer's updated_at they were read at), not yet clustered."""
        ...

    async def feature_records(self) -> tuple[Sequence[FeatureRecord], Sequence[FeatureRecord]]:
        """Stored features of visible answers: (already clustered, not yet clustered)."""
        ...

    async def hidden_answer_ids(self) -> Sequence[str]:
        """Answers with stored features that are hidden now."""
        ...

    async def theme_assignment(self) -> dict[str, str]:
        """Answer id -> theme key for every answer in a theme."""
        ...

    async def save_changes(self, changes: ThemeChanges, now: datetime) -> None:
        """Write a refresh's result."""
        ...

    async def get_theme(self, key: str) -> StoredTheme | None:
        """A theme by key, also one that ended (its card may still be in the channel)."""
        ...

    async def list_themes(self, keys: Sequence[str] | None = None) -> Sequence[StoredTheme]:
        """Themes that have not ended (all, or these keys), oldest first."""
        ...

    async def set_status(self, key: str, status: ThemeStatus, now: datetime) -> None:
        """Change where a theme stands."""
        ...

    async def rename_theme(self, key: str, name: str, entry: AuditEntry) -> None:
        """Store the name a coordinator gave a theme, with its audit entry, in one transaction."""
        ...

    async def evidence(self, key: str) -> Sequence[Evidence]:
        """The visible answers of a theme with their context."""
        ...

    async def features_of(self, answer_ids: Sequence[str]) -> Sequence[FeatureRecord]:
        """Stored features of these answers."""
        ...

    async def get_crosspost(self, key: str) -> CrossPost | None:
        """The theme's cross-post, if one was ever claimed."""
        ...

    async def claim_crosspost(self, key: str, spread: Spread, now: datetime, owner: str, lease: timedelta) -> bool:
        """Claim the right to post the theme's card (new, after a failure, or left unsent by a dead owner)."""
        ...

    async def start_crosspost_send(self, key: str, owner: str, now: datetime) -> bool:
        """Mark the card's request as going out; False if `owner` no longer holds an unsent claim."""
        ...

    async def stop_crosspost_send(self, key: str, owner: str, now: datetime, lease: timedelta) -> None:
        """Teams refused the request: the claim is unsent again."""
        ...

    async def mark_crossposted(self, key: str, target: ChannelTarget, posted: Posted, now: datetime) -> None:
        """Record where the card landed."""
        ...

    async def mark_crosspost_failed(self, key: str, error: str) -> None:
        """Record a failed post so that a later run may claim it again."""
        ...

    async def advance_crosspost(self, key: str, revision: int, spread: Spread, now: datetime) -> bool:
        """Record the spread the card shows now, if nobody did since `revision`."""
        ...

    async def record_decision(self, record: DecisionRecord, status: ThemeStatus) -> None:
        """Store a coordinator's decision and the theme's new status."""
        ...

    async def last_decision(self, key: str) -> DecisionRecord | None:
        """The theme's most recent decision."""
        ...

    async def planned_meetings(self, keys: Sequence[str]) -> Mapping[str, PlannedMeeting]:
        """Theme key -> the kennismoment scheduled for it, for these themes."""
        ...

    async def installed_teams(self) -> Sequence[InstalledTeam]:
        """Every team the bot was installed in, with its channels."""
        ...

    async def thread_source(self, conversation_id: str) -> ThreadSource | None:
        """The question round posted in this thread."""
        ...

    async def claim_forward(self, round_id: int, by_id: str, by_name: str, now: datetime) -> bool:
        """Claim the forward of a thread (new, or after a failure); False if done or under way."""
        ...

    async def get_forward(self, round_id: int) -> ForwardRecord | None:
        """The forward of a thread, if any."""
        ...

    async def mark_forwarded(self, round_id: int, target: ChannelTarget, posted: Posted) -> None:
        """Record where the forward landed."""
        ...

    async def mark_forward_failed(self, round_id: int, error: str) -> None:
        """Record a failed forward."""
        ...


class ThemePublisher(Protocol):
    """Puts theme cards and forwards into the umbrella channel."""

    async def post_theme(self, target: ChannelTarget, view: ThemeView, guard: SendGuard | None = None) -> Posted:
        """Post a theme card as a new thread; `guard` marks the request just before it goes out."""
        ...

    async def update_theme(self, target: ChannelTarget, posted: Posted, view: ThemeView) -> None:
        """Replace the theme card in place."""
        ...

    async def announce_growth(self, target: ChannelTarget, posted: Posted, growth: Growth) -> None:
        """Reply in the card's thread with what changed."""
        ...

    async def post_forward(self, target: ChannelTarget, view: ForwardView) -> Posted:
        """Post a forwarded question thread as a new thread."""
        ...
