"""Commands for everyone: help, this week's answers, my answers, delete my data."""

from __future__ import annotations

import logging

from botbuilder.core import TurnContext

from bot.commands.context import BotDeps, CommandContext
from bot.commands.registry import COMMANDS
from cards.confirm import confirm_card
from cards.help import help_card
from cards.listing import Row, listing_card
from rkk.model import AuditEntry, Rkk
from rkk.rounds import iso_week, week_number

logger = logging.getLogger(__name__)

DELETE_CONFIRM = "delete_confirm"
DELETE_CANCEL = "delete_cancel"


async def show_help(ctx: CommandContext) -> None:
    """The commands this person may use, coordinator commands only for coordinators."""
    steer = ctx.may_steer(ctx.rkk.key if ctx.rkk else None) or ctx.deps.coordinators.coordinates_any(ctx.person)
    everyone = [(c.phrases[0], ctx.t(c.help_key)) for c in COMMANDS if not c.coordinators_only]
    coordinators = [(c.phrases[0], ctx.t(c.help_key)) for c in COMMANDS if c.coordinators_only and steer]
    await ctx.show(help_card(everyone, coordinators, ctx.deps.texts, ctx.lang))


async def week_answers(ctx: CommandContext, rkk: Rkk) -> None:
    """This week's answers in the RKK; names only for the RKK's coordinators."""
    week = iso_week(ctx.deps.clock(), ctx.deps.timezone)
    round_ = await ctx.deps.store.round_for_week(rkk.key, week)
    if round_ is None or not round_.message_id:
        await ctx.say("no_round_this_week", week=week, rkk=rkk.name)
        return
    names = ctx.may_steer(rkk.key)
    rows = [
        Row(f"{name} · {bestuur}" if names else bestuur, text)
        for name, bestuur, text in await ctx.deps.admin.round_answers(round_.id)
    ]
    title = ctx.t("answers_title", week_number=week_number(week), rkk=rkk.name)
    await ctx.show(listing_card(title, rows, ctx.t("answers_none", rkk=rkk.name)))


async def my_answers(ctx: CommandContext) -> None:
    """Every answer the acting member gave, in every RKK."""
    rows = [
        Row(f"{a.rkk} · week {week_number(a.week)} · {a.question}", a.text)
        for a in await ctx.deps.admin.member_answers(_member_id(ctx.turn))
    ]
    await ctx.show(listing_card(ctx.t("my_answers_title"), rows, ctx.t("my_answers_none")))


async def delete_my_data(ctx: CommandContext) -> None:
    """Ask for confirmation before erasing the member's data."""
    count = len(await ctx.deps.admin.member_answers(_member_id(ctx.turn)))
    card = confirm_card(
        ctx.t("delete_confirm_title"),
        ctx.t("delete_confirm_text", count=count),
        (ctx.t("delete_confirm_button"), DELETE_CONFIRM),
        (ctx.t("delete_cancel_button"), DELETE_CANCEL),
    )
    await ctx.show(card)


async def delete_action(deps: BotDeps, turn: TurnContext, verb: str, lang: str) -> str:
    """The confirmation card's buttons; only ever erases the data of the person who pressed."""
    if verb == DELETE_CANCEL:
        return deps.texts.text("delete_cancelled", lang)
    member_id = _member_id(turn)
    sender = turn.activity.from_property
    entry = AuditEntry(
        deps.clock(),
        member_id,
        sender.name or member_id,
        "delete_my_data",
        None,
        "eigen gegevens gewist",
        turn.activity.conversation.id if turn.activity.conversation else None,
    )
    if deps.scoring is not None:  # who submitted a bestuur's scores; the scores themselves are the bestuur's
        await deps.scoring.forget(member_id, sender.id)
    count = await deps.admin.delete_member_data(member_id, entry)
    logger.info("erased the data of one member (%d answers)", count)
    return deps.texts.count("deleted", count, lang)


def _member_id(turn: TurnContext) -> str:
    """The acting member's Entra object id (the key answers are stored under)."""
    sender = turn.activity.from_property
    return str(getattr(sender, "aad_object_id", None) or sender.id)
