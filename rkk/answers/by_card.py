"""Use case: a member answers the question of the week through its card."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rkk.answers.rules import clean_answer
from rkk.errors import ForeignAction, RoundClosed
from rkk.model import Answer, Member, Round, RoundState
from rkk.rounds import Store


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


async def load_round_for_action(store: Store, round_id: object, context: AnswerContext) -> Round:
    """The round a card action names, refusing data that belongs to another team or thread."""
    if not isinstance(round_id, int) or isinstance(round_id, bool):
        raise ForeignAction("card data has no round id")
    round_ = await store.get_round(round_id)
    if round_ is None:
        raise ForeignAction(f"unknown round {round_id}")
    rkk = await store.rkk_for_team(context.team_id) if context.team_id else None
    if rkk is None or rkk.key != round_.rkk_key:
        raise ForeignAction(f"round {round_id} does not belong to team {context.team_id}")
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
    return round_


async def answer_by_card(
    store: Store, round_id: object, context: AnswerContext, member: Member, text: object, now: datetime
) -> AnswerResult:
    """Store (or replace) the member's answer; nothing is written when the action or text is refused."""
    round_ = await load_round_for_action(store, round_id, context)
    cleaned = clean_answer(text)
    await store.save_member(member, now)
    answer, is_new = await store.upsert_card_answer(round_.id, member, cleaned, now)
    return AnswerResult(round_, answer, is_new, await store.count_answers(round_.id))


def _same_thread(expected: str, actual: str) -> bool:
    """Teams names a thread "{channel};messageid={root}"; compare without case or spacing noise."""
    return expected.replace(" ", "").lower() == actual.replace(" ", "").lower()
