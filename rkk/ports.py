"""The ports the use cases need: storage and publishing. Adapters live outside `rkk/`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from rkk.model import (
    Answer,
    ChannelTarget,
    ExportRow,
    Installation,
    Member,
    Question,
    Rkk,
    Round,
)


@dataclass(frozen=True)
class Posted:
    """Where Teams put a posted question card."""

    conversation_id: str  # "{channelId};messageid={messageId}"
    message_id: str


class Store(Protocol):
    """Persistent state of the bot (one SQL database shared by all replicas)."""

    async def register_installation(self, installation: Installation, now: datetime) -> None:
        """Remember a team the bot was added to, its channels and how to reach it."""
        ...

    async def claim_greeting(self, team_id: str, now: datetime) -> bool:
        """True exactly once per team: the caller may greet it."""
        ...

    async def upsert_rkk(self, key: str, name: str, team_id: str | None, channel_id: str | None) -> None:
        """Create or rename an RKK and point it at a team and channel."""
        ...

    async def set_rkk_target(self, key: str, target: ChannelTarget) -> None:
        """Store how to reach the RKK's channel proactively."""
        ...

    async def get_rkk(self, key: str) -> Rkk | None:
        """The RKK with this key."""
        ...

    async def rkk_for_team(self, team_id: str) -> Rkk | None:
        """The RKK whose team this is."""
        ...

    async def list_rkks(self) -> Sequence[Rkk]:
        """Every RKK, by key."""
        ...

    async def team_channels(self, team_id: str) -> Sequence[tuple[str, str]]:
        """The (id, name) of each channel known for a team."""
        ...

    async def sync_question_bank(self, bank: Sequence[tuple[str, str]]) -> None:
        """Make the starter bank (key, text) present; existing entries get the new text."""
        ...

    async def question_candidates(self, rkk_key: str) -> Sequence[Question]:
        """The questions this RKK may get, in preference order."""
        ...

    async def last_asked(self, rkk_key: str) -> dict[int, str]:
        """For each question asked in this RKK, the last ISO week it was asked."""
        ...

    async def claim_round(self, rkk_key: str, week: str, question: Question, now: datetime) -> Round | None:
        """Create the round for this RKK and week; None if one exists (the database enforces one)."""
        ...

    async def reclaim_failed_round(self, round_id: int, now: datetime) -> Round | None:
        """Take over a round whose posting failed; None if another process got it first."""
        ...

    async def round_for_week(self, rkk_key: str, week: str) -> Round | None:
        """The round of this RKK in this week, if any."""
        ...

    async def get_round(self, round_id: int) -> Round | None:
        """A round by id."""
        ...

    async def mark_posted(self, round_id: int, posted: Posted, now: datetime) -> Round:
        """Record where the card landed."""
        ...

    async def mark_failed(self, round_id: int, error: str) -> None:
        """Record that posting failed and why."""
        ...

    async def save_member(self, member: Member, now: datetime) -> None:
        """Create or refresh what is known of a member."""
        ...

    async def upsert_card_answer(self, round_id: int, member: Member, text: str, now: datetime) -> tuple[Answer, bool]:
        """Store a member's card answer, replacing an earlier one; True if it is new."""
        ...

    async def card_answer(self, round_id: int, member_id: str) -> Answer | None:
        """The member's card answer to a round."""
        ...

    async def count_answers(self, round_id: int) -> int:
        """How many visible answers a round has."""
        ...

    async def export_rows(self) -> Sequence[ExportRow]:
        """Every visible answer with its context, oldest first."""
        ...


class Publisher(Protocol):
    """Puts question cards into Teams."""

    async def publish_question(self, rkk: Rkk, round_: Round, answer_count: int) -> Posted:
        """Post the round's question card as a new thread in the RKK's channel."""
        ...
