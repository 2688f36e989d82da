"""Use case: a member answers the question of the week through its card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rkk.answers.rules import clean_answer
from rkk.errors import ForeignAction, RoundClosed
from rkk.model import Answer, Member, Rkk, Round, RoundState
from rkk.rounds import Store, adopt_card


@dataclass(frozen=True)
class AnswerContext:
    """Where a card action came from, as Teams reports it."""

    team_id: str | None
    conversation_id: str | None


@dataclass(frozen=True)
class AnswerResult:
    """The stored answer, whether it is new or an edit, and the round's answer count."""

    round: Round
    answer: Answer
    is_new: bool
    count: int


async def load_round_for_action(
    store: Store, round_id: object, context: AnswerContext, now: datetime
) -> tuple[Round, Rkk]:
    """The round a card action names and its RKK, refusing data that belongs to another team or thread.

    One query finds the round only within the RKK of the team the action came from, so a forged or
    forwarded card reads nothing of another RKK. A card whose post we lost track of is adopted here.
    """
    if not isinstance(round_id, int) or isinstance(round_id, bool):
        raise ForeignAction("card data has no round id")
    found = await store.round_in_team(round_id, context.team_id) if context.team_id else None
    if found is None:
        raise ForeignAction(f"round {round_id} does not belong to team {context.team_id}")
    facts, rkk = found
    round_ = facts.round
    if round_.state is RoundState.CLAIMED and context.conversation_id:
        round_ = await adopt_card(store, facts, rkk, context.conversation_id, now) or round_
    if (
        round_.conversation_id
        and context.conversation_id
        and not _same_thread(round_.conversation_id, context.conversation_id)
    ):
        raise ForeignAction(f"round {round_id} is not in conversation {context.conversation_id}")
    if round_.state is RoundState.CLOSED:
        raise RoundClosed(f"round {round_id} is closed")
    if round_.state is not RoundState.POSTED:
        raise ForeignAction(f"round {round_id} is not open")
    return round_, rkk


async def answer_by_card(store: Store, round_: Round, member: Member, text: object, now: datetime) -> AnswerResult:
    """Store (or replace) the member's answer to a round `load_round_for_action` gave; nothing is written when
    the text is refused."""
    cleaned = clean_answer(text)
    saved = await store.save_card_answer(round_.id, member, cleaned, now)
    return AnswerResult(round_, saved.answer, saved.is_new, saved.count)


def _same_thread(expected: str, actual: str) -> bool:
    """Teams names a thread "{channel};messageid={root}"; compare without case or spacing noise."""
    return expected.replace(" ", "").lower() == actual.replace(" ", "").lower()
