"""The question card's buttons: answer, edit, and the per-viewer refresh."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from botbuilder.core import TurnContext

from bot import activity_facts as facts
from bot.commands.context import BotDeps
from cards.question import QuestionView, question_card
from observability.logs import bind_rkk
from rkk.answers import AnswerContext, answer_by_card, load_round_for_action
from rkk.errors import InvalidAnswer

logger = logging.getLogger(__name__)

VERBS = ("answer", "edit", "refresh")


async def question_action(
    deps: BotDeps, turn: TurnContext, verb: str, data: dict[str, Any], lang: str
) -> dict[str, Any]:
    """The card the acting member should see after pressing a button on the question card."""
    activity = turn.activity
    team_id, _, _ = facts.team_of(activity)
    context = AnswerContext(team_id, activity.conversation.id if activity.conversation else None)
    texts, store = deps.texts, deps.store
    round_, rkk = await load_round_for_action(store, data.get("roundId"), context, deps.clock())
    bind_rkk(round_.rkk_key)
    base = QuestionView(round_.id, rkk.name, round_.week, round_.question_text, 0)
    if verb == "answer":
        member = await deps.roster.member(turn)
        try:
            result = await answer_by_card(store, round_, member, data.get("answer"), deps.clock())
        except InvalidAnswer as error:
            key = "answer_too_long" if error.params.get("reason") == "too_long" else "answer_empty"
            typed = data.get("answer")
            draft = typed if isinstance(typed, str) else ""
            mine = await store.card_answer(round_.id, member.aad_object_id)
            view = replace(
                base,
                count=await store.count_answers(round_.id),
                answer=mine.text if mine else None,
                editing=True,
                error=texts.text(key, lang, **error.params),
                draft=draft[:4000],
            )
            return question_card(view, texts, lang)
        notice = texts.text("card_saved" if result.is_new else "card_updated", lang)
        return question_card(replace(base, count=result.count, answer=result.answer.text, notice=notice), texts, lang)
    mine = await store.card_answer(round_.id, facts.member_key(activity))
    view = replace(base, count=await store.count_answers(round_.id), answer=mine.text if mine else None)
    return question_card(replace(view, editing=True) if verb == "edit" else view, texts, lang)
