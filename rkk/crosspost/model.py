"""Records of the cross-posting of recurring themes to RKK Overkoepelend, and its pure rules."""

from __future__ import annotations

import enum
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from rkk.errors import PostFailed
from rkk.model import ChannelTarget

logger = logging.getLogger(__name__)

GROWTH_SHARE = 0.5  # a dismissed theme returns with at least 50% more besturen ...
# ... or with an RKK that was not in it at dismissal: the concern has spread to another region.


class PostUncertain(PostFailed):
    """Teams gave no answer to a post: it may be in the channel, so it is not retried automatically."""


class ThemeStatus(enum.StrEnum):
    """Where a theme stands for the umbrella team."""

    ACTIVE = "active"  # detected; not (yet) cross-posted
    CROSSPOSTED = "crossposted"  # its card is in the Overkoepelend channel
    DISMISSED = "dismissed"  # a coordinator said "geen rode draad"
    PLANNED = "planned"  # a coordinator plans a kennismoment
    MERGED = "merged"  # folded into another theme (merged_into)


class Decision(enum.StrEnum):
    """What a coordinator decided on a cross-posted theme."""

    PLAN = "plan"
    DISMISS = "dismiss"


@dataclass(frozen=True)
class Spread:
    """Which RKKs and besturen a theme reaches."""

    rkks: frozenset[str]
    besturen: frozenset[str]

    @classmethod
    def of(cls, rkks: Sequence[str], besturen: Sequence[str]) -> Spread:
        """A spread from two lists."""
        return cls(frozenset(rkks), frozenset(besturen))


@dataclass(frozen=True)
class StoredTheme:
    """A theme as the store keeps it."""

    key: str
    label: str
    terms: tuple[str, ...]
    spread: Spread
    first_week: str
    last_week: str
    recurring: bool
    status: ThemeStatus
    merged_into: str | None
    description: str = ""  # the engine's one sentence, rewritten every run like the label
    custom_name: str | None = None  # what a coordinator named it ("Naam aanpassen"); kept as the theme grows

    @property
    def name(self) -> str:
        """What people see: the coordinator's name when one was given, else the engine's label."""
        return self.custom_name or self.label


@dataclass(frozen=True)
class CrossPost:
    """Where a theme's card sits and what it shows now."""

    theme_key: str
    state: str  # claimed, posted, failed
    target: ChannelTarget | None
    conversation_id: str | None
    message_id: str | None
    shown: Spread
    revision: int


@dataclass(frozen=True)
class DecisionRecord:
    """A coordinator's decision, with who took it and when."""

    theme_key: str
    decision: Decision
    by_id: str
    by_name: str
    at: datetime
    spread: Spread


@dataclass(frozen=True)
class Evidence:
    """One answer of a theme with the context a quote and a link need."""

    answer_id: str
    text: str
    bestuur: str
    member_name: str
    rkk_key: str
    rkk_name: str
    week: str
    team_id: str | None
    group_id: str | None
    conversation_id: str | None
    message_id: str | None


@dataclass(frozen=True)
class InstalledTeam:
    """A team the bot was installed in, with its channels (id, name)."""

    id: str
    name: str
    group_id: str | None
    tenant_id: str
    service_url: str
    channels: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Quote:
    """A representative answer: shown literally, with its bestuur (and name only if allowed)."""

    text: str
    bestuur: str
    rkk_name: str
    member_name: str | None


@dataclass(frozen=True)
class SourceThread:
    """A question thread that holds answers of the theme."""

    rkk_name: str
    week: str
    team_id: str
    group_id: str | None
    conversation_id: str
    message_id: str


@dataclass(frozen=True)
class PlannedMeeting:
    """The kennismoment planned for a theme, as its card and `thema's` show it."""

    starts_at: datetime
    title: str


@dataclass(frozen=True)
class ThemeView:
    """Everything the theme card shows."""

    key: str
    label: str  # the displayed name (StoredTheme.name)
    rkk_count: int
    bestuur_count: int
    rkk_names: tuple[str, ...]
    quotes: tuple[Quote, ...]
    sources: tuple[SourceThread, ...]
    status: ThemeStatus
    decision: DecisionRecord | None
    rkk_name_of: Mapping[str, str] = field(default_factory=dict, compare=False)  # RKK key -> name
    description: str = ""
    meeting: PlannedMeeting | None = None  # the kennismoment planned for it, if any


@dataclass(frozen=True)
class Growth:
    """What changed since the card was last shown."""

    new_rkks: tuple[str, ...]  # names
    new_besturen: tuple[str, ...]
    rkk_count: int
    bestuur_count: int
    returned: bool  # a dismissed theme came back
    name: str  # the theme as its card names it


@dataclass(frozen=True)
class ForwardView:
    """A question thread forwarded by hand to the umbrella channel."""

    rkk_name: str
    week: str
    question: str
    answer_count: int
    by_name: str
    source: SourceThread


def grew(shown: Spread, now: Spread) -> bool:
    """Whether the theme reaches an RKK or bestuur the card does not show yet."""
    return bool(now.rkks - shown.rkks or now.besturen - shown.besturen)


def grew_substantially(dismissed: Spread, now: Spread) -> bool:
    """Whether a dismissed theme may return: a new RKK, or at least 50% more besturen."""
    if now.rkks - dismissed.rkks:
        return True
    needed = math.ceil(len(dismissed.besturen) * (1 + GROWTH_SHARE))
    return len(now.besturen | dismissed.besturen) >= max(needed, len(dismissed.besturen) + 1)


def resolve_umbrella(teams: Sequence[InstalledTeam], team: str, channel: str | None) -> ChannelTarget | None:
    """The umbrella channel: the team by id or name, the channel by id or name, General when none is named."""
    wanted = team.casefold()
    found = next((t for t in teams if t.id == team), None) or next(
        (t for t in teams if t.name.casefold() == wanted or (t.group_id or "").casefold() == wanted), None
    )
    if found is None:
        return None
    channel_id: str | None = found.id  # General's channel id is the team id
    if channel is not None:
        channel_id = next(
            (cid for cid, name in found.channels if cid == channel or name.casefold() == channel.casefold()), None
        )
    if channel_id is None:
        return None
    return ChannelTarget(found.service_url, found.tenant_id, found.id, channel_id)


@dataclass(frozen=True)
class Actor:
    """Who pressed a button or typed a command: a stable id for the record, a name for the card."""

    id: str
    name: str


def same_thread(stored_conversation: str | None, stored_message: str | None, incoming: str | None) -> bool:
    """Whether an incoming conversation id is the thread a card was posted as (channel and root message)."""
    if not stored_conversation or not incoming:
        return False
    channel, _, root = incoming.partition(";messageid=")
    stored_channel, _, stored_root = stored_conversation.partition(";messageid=")
    return channel == stored_channel and bool(root) and root == (stored_root or stored_message)
