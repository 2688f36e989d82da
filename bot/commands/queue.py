"""The question queue: `vraag toevoegen`, `wachtrij`, and the queue card's buttons."""

from __future__ import annotations

import logging
from typing import Any

from bot.commands.context import BotDeps, CommandContext
from bot.commands.registry import normalise
from cards.listing import Row, execute, listing_card
from rkk.access import Person
from rkk.errors import RkkError
from rkk.model import AuditEntry, Rkk
from rkk.rounds import InvalidQuestion, PostOutcome, clean_question, post_question

logger = logging.getLogger(__name__)

QUEUE_UP, QUEUE_REMOVE, QUEUE_POST = "queue_up", "queue_remove", "queue_post"
VERBS = (QUEUE_UP, QUEUE_REMOVE, QUEUE_POST)
QUEUE_COMMAND = "wachtrij"  # named in refusals instead of the RKK, which a forged button must not learn
_FOR_ALL = ("voor alle rkk's", "voor alle rkks", "voor alle rkk", "for all rkks", "for all rkk's")


async def add_question(ctx: CommandContext, rkk: Rkk) -> None:
    """Queue a question for this RKK, or for all RKKs ("... voor alle rkk's", global coordinators)."""
    text, shared = _split_for_all(ctx.args)
    if shared and not ctx.may_steer(None):
        await ctx.say("global_queue_refused")
        return
    if not text.strip():
        await ctx.say("question_empty")
        return
    try:
        question = clean_question(text, await ctx.deps.questions.active_texts())
    except InvalidQuestion as error:
        await ctx.say(f"question_{error.params['reason']}", **error.params)
        return
    owner = None if shared else rkk.key
    await ctx.deps.store.enqueue_question(owner, question, ctx.actor_name)
    await ctx.deps.admin.record(ctx.entry("add_question", question, owner))
    position = len(await ctx.deps.store.queued_questions(owner))
    queue = ctx.t("question_added_all") if shared else rkk.name
    title = ctx.t("question_added", queue=queue, position=position)
    await ctx.show(listing_card(title, [Row(queue, question)], ""))


async def show_queue(ctx: CommandContext, rkk: Rkk) -> None:
    """The RKK's queue and the shared one, with buttons for the coordinators who may use them."""
    await ctx.show(await queue_card(ctx.deps, rkk, ctx.person, ctx.lang))


async def queue_card(deps: BotDeps, rkk: Rkk, person: Person, lang: str, notice: str = "") -> dict[str, Any]:
    """The queue card as this person may use it."""
    texts = deps.texts
    rows = []
    for owner, label in ((rkk.key, rkk.name), (None, texts.text("queue_shared", lang))):
        steer = deps.coordinators.may_steer(person, owner)
        for position, question in enumerate(await deps.store.queued_questions(owner), 1):
            data = {"questionId": question.id, "rkk": rkk.key}
            actions = (
                [
                    execute(texts.text("queue_up", lang), QUEUE_UP, data),
                    execute(texts.text("queue_remove", lang), QUEUE_REMOVE, data),
                    execute(texts.text("queue_post", lang), QUEUE_POST, data),
                ]
                if steer
                else []
            )
            rows.append(Row(f"{position}. {label}", question.text, actions))
    title = texts.text("queue_title", lang, rkk=rkk.name)
    if notice:
        title = f"{notice}\n\n{title}"
    return listing_card(title, rows, texts.text("queue_empty", lang, rkk=rkk.name))


async def queue_action(
    deps: BotDeps, person: Person, actor: str, verb: str, data: dict[str, Any], lang: str
) -> dict[str, Any] | str:
    """A queue button, authorised before anything is read: a forwarded card or forged data shows and changes
    nothing the presser may not; a refusal never updates the card."""
    texts = deps.texts
    question_id, rkk_key = data.get("questionId"), data.get("rkk")
    if not isinstance(question_id, int) or isinstance(question_id, bool) or not isinstance(rkk_key, str):
        return texts.text("action_unknown", lang)
    refused = texts.text("not_coordinator", lang, command=QUEUE_COMMAND)
    if not deps.coordinators.may_steer(person, rkk_key):
        return refused  # the card is this RKK's queue: only its coordinators (and global ones) may see or use it
    rkk = await deps.store.get_rkk(rkk_key)
    if rkk is None:
        return texts.text("action_unknown", lang)
    waiting, owner = await deps.questions.queue_owner(question_id)
    if not waiting:
        return await queue_card(deps, rkk, person, lang, texts.text("queue_gone", lang))
    if owner not in (None, rkk.key) or not deps.coordinators.may_steer(person, owner):
        return refused  # a question of another RKK's queue, or of the shared one for a non-global coordinator
    entry = AuditEntry(deps.clock(), person.aad_object_id or "?", actor, verb, owner, f"vraag {question_id}", None)
    if verb == QUEUE_REMOVE:
        await deps.store.remove_queued(question_id)
        await deps.admin.record(entry)
        return await queue_card(deps, rkk, person, lang, texts.text("queue_removed", lang))
    if verb == QUEUE_UP:
        await deps.store.move_queued(question_id, up=True)
        await deps.admin.record(entry)
        return await queue_card(deps, rkk, person, lang, texts.text("queue_moved", lang))
    while await deps.store.move_queued(question_id, up=True):
        pass  # to the front, so this week's rotation takes it
    try:
        result = await post_question(deps.store, deps.publisher, rkk.key, deps.clock())
    except RkkError as error:
        return texts.text(error.code, lang, rkk=rkk.name)
    await deps.admin.record(entry)
    round_ = result.round
    if result.outcome is PostOutcome.POSTED:
        return texts.text("posted", lang, week=round_.week, rkk=rkk.name)
    return texts.text(
        "in_progress" if result.outcome is PostOutcome.IN_PROGRESS else "queue_post_later",
        lang,
        week=round_.week,
        rkk=rkk.name,
    )


def _split_for_all(args: str) -> tuple[str, bool]:
    """The question text and whether it is meant for all RKKs."""
    plain = normalise(args)
    for phrase in _FOR_ALL:
        if plain.endswith(phrase):
            return args.strip()[: len(args.strip()) - len(phrase)].rstrip(" :,-"), True
    return args, False
