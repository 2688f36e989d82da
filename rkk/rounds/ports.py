"""The ports of the weekly round: the store of rounds, queues and answers, and the Teams publisher."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

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
from rkk.ports import Posted, SendGuard
from rkk.rounds.lifecycle import Notice, RoundFacts
from rkk.rounds.rotation import Pool, QuestionSource


@dataclass(frozen=True)
class CardAnswerSaved:
    """A stored card answer, whether it is new (not an edit), and the round's answer count after it."""

    answer: Answer
    is_new: bool
    count: int


# --- round lifecycle, question queues, notices -----------------------------------
# Added to `Store` (SqlStore implements them in rkk/store/rounds/lifecycle.py) so every caller that
# holds a `Store` can run the lifecycle use cases.


class QueueStore(Protocol):
    """The question queues coordinators fill (`vraag toevoegen`) and rotation empties."""

    async def enqueue_question(self, rkk_key: str | None, text: str, author: str) -> Question:
        """Append a question to an RKK's queue (None: the queue for all RKKs)."""
        ...

    async def queued_questions(self, rkk_key: str | None) -> list[Question]:
        """The questions waiting in an RKK's queue (None: the shared queue), next first."""
        ...

    async def remove_queued(self, question_id: int) -> bool:
        """Take a waiting question out of its queue; False if it is not waiting."""
        ...

    async def move_queued(self, question_id: int, up: bool) -> bool:
        """Swap a waiting question with its neighbour; False at the edge or if gone."""
        ...


class LifecycleStore(QueueStore, Protocol):
    """Claims with fencing, reminders, closing and coordinator notices."""

    async def rotation_pool(self, rkk_key: str) -> Pool:
        """The RKK's own queue, the shared queue and the starter bank."""
        ...

    async def claim_round_as(
        self,
        rkk_key: str,
        week: str,
        question: Question,
        source: QuestionSource,
        owner: str,
        now: datetime,
        lease: timedelta,
    ) -> Round | None:
        """Create the week's round owned by `owner`; None if it exists."""
        ...

    async def take_over_round(
        self, round_id: int, owner: str, now: datetime, lease: timedelta, uncertain: bool = False
    ) -> Round | None:
        """Own a failed round or an abandoned unsent claim (or, when `uncertain`, an uncertain one)."""
        ...

    async def start_sending(self, round_id: int, owner: str, now: datetime) -> bool:
        """The fence before the HTTP call: True for exactly one caller."""
        ...

    async def stop_sending(self, round_id: int, owner: str, now: datetime, lease: timedelta) -> None:
        """Teams refused the attempt outright: the claim is unsent again."""
        ...

    async def finish_posted(self, round_id: int, posted: Posted, now: datetime) -> Round:
        """Record where the card landed."""
        ...

    async def finish_failed(self, round_id: int, error: str) -> None:
        """Record that Teams refused the card after all retries."""
        ...

    async def mark_uncertain(self, round_id: int, error: str, now: datetime) -> bool:
        """Flag a round whose card may or may not be in Teams; True the first time."""
        ...

    async def dismiss_uncertain(self, round_id: int, now: datetime) -> bool:
        """Close an uncertain round without a card (a coordinator's decision)."""
        ...

    async def claim_reminder(self, round_id: int, now: datetime) -> bool:
        """True exactly once per round."""
        ...

    async def set_reminder_message(self, round_id: int, message_id: str | None) -> None:
        """Remember the reminder's activity id."""
        ...

    async def close_round(self, round_id: int, now: datetime) -> int | None:
        """Close a posted round; its final answer count, or None if it was not open."""
        ...

    async def mark_card_closed(self, round_id: int, now: datetime) -> None:
        """The card shows the closed view."""
        ...

    async def set_round_error(self, round_id: int, error: str) -> None:
        """Remember the last error of a round."""
        ...

    async def round_facts(self, round_id: int) -> RoundFacts | None:
        """A round with its lifecycle timestamps."""
        ...

    async def active_round_facts(self) -> list[RoundFacts]:
        """Every round the lifecycle job may still act on."""
        ...

    async def week_facts(self, week: str) -> dict[str, RoundFacts]:
        """This week's rounds by RKK key."""
        ...

    async def latest_open_round(self, rkk_key: str) -> Round | None:
        """The RKK's newest round that accepts answers."""
        ...

    async def answer_counts(self, round_ids: Sequence[int]) -> dict[int, int]:
        """Visible answers per round."""
        ...

    async def claim_notice(self, rkk_key: str, week: str, kind: str, detail: str, now: datetime) -> bool:
        """True exactly once per (RKK, week, kind)."""
        ...

    async def mark_notice_sent(self, rkk_key: str, week: str, kind: str, now: datetime) -> None:
        """The notice reached Teams."""
        ...

    async def week_notices(self, week: str) -> dict[str, list[str]]:
        """The kinds of notice given this week, by RKK key."""
        ...


class Store(LifecycleStore, Protocol):
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

    async def last_asked(self, rkk_key: str) -> dict[int, str]:
        """For each question asked in this RKK, the last ISO week it was asked."""
        ...

    async def round_for_week(self, rkk_key: str, week: str) -> Round | None:
        """The round of this RKK in this week, if any."""
        ...

    async def get_round(self, round_id: int) -> Round | None:
        """A round by id."""
        ...

    async def round_in_team(self, round_id: int, team_id: str) -> tuple[RoundFacts, Rkk] | None:
        """The round with its RKK, only if the round belongs to the RKK of this team (one query)."""
        ...

    async def save_card_answer(self, round_id: int, member: Member, text: str, now: datetime) -> CardAnswerSaved:
        """The member's profile and card answer (replacing an earlier one) and the round's new count, in one
        transaction."""
        ...

    async def card_answer(self, round_id: int, member_id: str) -> Answer | None:
        """The member's card answer to a round."""
        ...

    async def count_answers(self, round_id: int) -> int:
        """How many visible answers a round has."""
        ...

    async def export_rows(
        self, rkk_keys: Collection[str] | None = None, until: datetime | None = None
    ) -> Sequence[ExportRow]:
        """Every visible answer with its context, oldest first (of these RKKs, given up to `until`)."""
        ...


class Publisher(Protocol):
    """Puts question cards into Teams."""

    async def publish_question(self, rkk: Rkk, round_: Round, answer_count: int) -> Posted:
        """Post the round's question card as a new thread in the RKK's channel."""
        ...


@runtime_checkable
class GuardedPublisher(Protocol):
    """A publisher that tells the guard exactly when each HTTP attempt starts."""

    async def publish_guarded(self, rkk: Rkk, round_: Round, guard: SendGuard) -> Posted:
        """Post the round's card; raise PostFailed (refused), PostUncertain (unknown) or Fenced (not sent)."""
        ...


class RoundMessenger(Protocol):
    """The messages of a round's life after the card: reminder, closed card, coordinator notice."""

    async def remind(self, rkk: Rkk, round_: Round, answer_count: int) -> str | None:
        """Reply once in the question's thread with the count so far; the reply's id."""
        ...

    async def close_card(self, rkk: Rkk, round_: Round, answer_count: int) -> None:
        """Replace the card with its closed view and the final count."""
        ...

    async def notify_coordinators(self, rkk: Rkk, notice: Notice) -> None:
        """Tell the RKK's coordinators something that needs them (posted in the RKK's channel)."""
        ...
