"""Domain records of the RKK bot: knowledge circles, questions, weekly rounds, members and answers."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime


class RoundState(enum.StrEnum):
    """Where a weekly round is in its life."""

    CLAIMED = "claimed"  # a process owns the round and is posting its card
    POSTED = "posted"  # the card is in the channel; answers are welcome
    FAILED = "failed"  # posting failed; a later attempt may claim it again
    CLOSED = "closed"  # the week is over; answers are refused


class AnswerSource(enum.StrEnum):
    """How an answer reached the bot."""

    CARD = "card"
    REPLY = "reply"


@dataclass(frozen=True)
class ChannelTarget:
    """Everything the Bot Connector needs to post into one channel proactively."""

    service_url: str
    tenant_id: str
    team_id: str
    channel_id: str


@dataclass(frozen=True)
class Rkk:
    """A regional knowledge circle: one team and the channel its weekly question goes to."""

    key: str
    name: str
    team_id: str | None
    channel_id: str | None
    target: ChannelTarget | None

    @property
    def reachable(self) -> bool:
        """Whether the bot has what it needs to post here (it was installed in the team)."""
        return self.target is not None


@dataclass(frozen=True)
class Question:
    """A question that can be asked as the question of the week."""

    id: int
    key: str
    text: str


@dataclass(frozen=True)
class Round:
    """One question in one RKK in one ISO week."""

    id: int
    rkk_key: str
    week: str
    question_id: int
    question_text: str
    state: RoundState
    conversation_id: str | None
    message_id: str | None
    posted_at: datetime | None
    attempts: int
    last_error: str | None


@dataclass(frozen=True)
class Member:
    """A person who answers: their Entra object id, name, mail address, bestuur and user principal name.

    The UPN (sign-in name) and the mail address are different things: aliases, renamed people and
    guests (`name_domain#EXT#@tenant`) have one differing from the other. Coordinators are matched on
    the UPN; the bestuur comes from the mail. Only the mail is stored.
    """

    aad_object_id: str
    name: str
    email: str | None
    bestuur: str
    upn: str | None = None


@dataclass(frozen=True)
class Answer:
    """One member's answer to one round."""

    id: int
    round_id: int
    member_id: str
    member_name: str
    bestuur: str
    text: str
    source: AnswerSource
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class ExportRow:
    """One answer with the context an analyst needs, as written by `app.py export`."""

    answer_id: int
    rkk: str
    week: str
    question: str
    member_id: str
    member_name: str
    bestuur: str
    text: str
    source: str
    created_at: str
    updated_at: str
    theme: str = ""  # the theme the answer is in, by the name people see (empty: in none)
    theme_description: str = ""
    theme_state: str = ""  # active, crossposted, planned, dismissed
    kennismoment: str = ""  # start of the theme's scheduled kennismoment, ISO 8601 in UTC like the other times


@dataclass(frozen=True)
class Installation:
    """What Teams tells the bot when it is added to a team."""

    team_id: str
    team_name: str
    aad_group_id: str | None
    tenant_id: str
    service_url: str
    bot_id: str
    channels: tuple[tuple[str, str], ...]  # (channel id, channel name); General's id is the team id


@dataclass(frozen=True)
class Controls:
    """What coordinators set for one RKK from Teams."""

    paused_until: date | None = None
    pause_reason: str | None = None
    skipped_week: str | None = None
    schedule_weekday: int | None = None
    schedule_time: str | None = None  # "HH:MM"


@dataclass(frozen=True)
class AuditEntry:
    """One change a coordinator made."""

    at: datetime
    actor_id: str
    actor_name: str
    action: str
    rkk_key: str | None
    detail: str
    conversation_id: str | None


@dataclass(frozen=True)
class MemberAnswer:
    """One of a member's answers, with where it was given."""

    rkk: str
    week: str
    question: str
    text: str
    source: str


@dataclass(frozen=True)
class Erasure:
    """A member to erase (`verwijder mijn gegevens`): every id, display name and mail they are known by."""

    member_id: str  # the key their answers are stored under (Entra object id, else Teams id)
    ids: frozenset[str]  # that key, their Teams id, their UPN
    names: frozenset[str]
    mails: frozenset[str]
