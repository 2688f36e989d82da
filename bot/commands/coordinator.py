"""Coordinator commands: post now, skip, pause, resume, schedule, audit, forward, themes."""

from __future__ import annotations

import logging
import re

from botbuilder.core import MessageFactory

from bot.commands.context import CommandContext
from bot.outbound.links import message_link
from cards.listing import Row, listing_card
from cards.themes import themes_card
from i18n.calendar import format_day, format_moment, weekday_name
from rkk.errors import NoQuestionLeft, NotInstalled, PostFailed
from rkk.model import Rkk
from rkk.rounds import WEEKDAYS, InvalidDate, PostOutcome, iso_week, parse_date, post_question

logger = logging.getLogger(__name__)

_TIME = re.compile(r"^(\d{1,2})(?:[:.hu](\d{2}))?(?:\s*(?:uur|u|h))?$")


async def post_now(ctx: CommandContext, rkk: Rkk) -> None:
    """Post this week's question now, once per week."""
    deps = ctx.deps
    try:
        result = await post_question(deps.store, deps.publisher, rkk.key, deps.clock())
    except NoQuestionLeft:
        await ctx.say("no_question_left", rkk=rkk.name)
        return
    except NotInstalled:
        await ctx.say("not_installed", rkk=rkk.name)
        return
    except PostFailed:
        await ctx.say("post_failed", rkk=rkk.name)
        return
    round_ = result.round
    if result.outcome is PostOutcome.POSTED:
        await deps.admin.record(ctx.entry("post_now", f"week {round_.week}: {round_.question_text}", rkk.key))
        await ctx.say("posted", week=round_.week, rkk=rkk.name)
    elif result.outcome is PostOutcome.ALREADY_POSTED:
        link = message_link(rkk.team_id or "", round_.conversation_id, round_.message_id)
        await ctx.say("already_posted", week=round_.week, rkk=rkk.name, link=link)
    elif result.outcome is PostOutcome.UNCERTAIN:
        await ctx.say("rounds_post_uncertain", rkk=rkk.name)
    else:
        await ctx.say("in_progress", week=round_.week, rkk=rkk.name)


async def skip(ctx: CommandContext, rkk: Rkk) -> None:
    """Skip this week's question, unless it is already out."""
    week = iso_week(ctx.deps.clock(), ctx.deps.timezone)
    round_ = await ctx.deps.store.round_for_week(rkk.key, week)
    if round_ is not None and round_.message_id:
        await ctx.say("skip_too_late", week=week, rkk=rkk.name)
        return
    await ctx.deps.admin.change_controls(rkk.key, ctx.entry("skip", f"week {week}", rkk.key), skipped_week=week)
    await ctx.say("skipped_week", week=week, rkk=rkk.name, next=await _next(ctx, rkk))


async def pause(ctx: CommandContext, rkk: Rkk) -> None:
    """Pause until a date typed in Dutch or English ("volgende week", "1 juli", "24/12")."""
    if not ctx.args.strip():
        await ctx.say("date_missing")
        return
    today = ctx.deps.clock().astimezone(ctx.deps.timezone).date()
    try:
        until = parse_date(ctx.args, today)
    except InvalidDate as error:
        key = "date_past" if error.params.get("reason") == "past" else "date_unreadable"
        await ctx.say(key, text=ctx.args.strip()[:100], date=error.params.get("date", ""))
        return
    entry = ctx.entry("pause", f"tot en met {until.isoformat()}", rkk.key)
    await ctx.deps.admin.change_controls(rkk.key, entry, paused_until=until, pause_reason=f"door {ctx.actor_name}")
    await ctx.say("paused", rkk=rkk.name, until=format_day(until, ctx.lang), next=await _next(ctx, rkk))


async def resume(ctx: CommandContext, rkk: Rkk) -> None:
    """End a pause."""
    today = ctx.deps.clock().astimezone(ctx.deps.timezone).date()
    controls = await ctx.deps.admin.controls(rkk.key)
    if controls.paused_until is None or controls.paused_until < today:
        await ctx.say("not_paused", rkk=rkk.name, next=await _next(ctx, rkk))
        return
    entry = ctx.entry("resume", f"pauze tot {controls.paused_until.isoformat()} beëindigd", rkk.key)
    await ctx.deps.admin.change_controls(rkk.key, entry, paused_until=None, pause_reason=None)
    await ctx.say("resumed", rkk=rkk.name, next=await _next(ctx, rkk))


async def schedule(ctx: CommandContext, rkk: Rkk) -> None:
    """Move the weekly question to another weekday and time ("dinsdag 9:30")."""
    parsed = parse_schedule(ctx.args)
    if parsed is None:
        await ctx.say("schedule_unreadable")
        return
    weekday, at = parsed
    entry = ctx.entry("schedule", f"{weekday_name(weekday, 'nl')} {at}", rkk.key)
    await ctx.deps.admin.change_controls(rkk.key, entry, schedule_weekday=weekday, schedule_time=at)
    await ctx.say(
        "schedule_set", rkk=rkk.name, weekday=weekday_name(weekday, ctx.lang), time=at, next=await _next(ctx, rkk)
    )


async def audit(ctx: CommandContext) -> None:
    """The latest coordinator changes (global coordinators only)."""
    if not ctx.may_steer(None):
        await ctx.say("not_global_coordinator", command=ctx.command.phrases[0])
        return
    entries = await ctx.deps.admin.audit_entries(limit=20)
    rows = [
        Row(
            f"{format_moment(e.at.astimezone(ctx.deps.timezone), ctx.lang)} · {e.actor_name} · {e.rkk_key or '-'}",
            f"{e.action}: {e.detail}",
        )
        for e in entries
    ]
    await ctx.show(listing_card(ctx.t("audit_title"), rows, ctx.t("audit_none")))


async def forward(ctx: CommandContext, rkk: Rkk) -> None:
    """Forward the question thread the command was typed in to RKK Overkoepelend."""
    if ctx.deps.theme_actions is None:
        await ctx.say("theme_no_umbrella")
        return
    await ctx.turn.send_activity(
        MessageFactory.text(await ctx.deps.theme_actions.forward(ctx.turn.activity, ctx.person, ctx.lang))
    )


async def themes(ctx: CommandContext) -> None:
    """The stored themes, rode draden first, with the rule that makes one."""
    if ctx.deps.theme_actions is None:
        await ctx.say("themes_unavailable")
        return
    overview = await ctx.deps.theme_actions.overview()
    await ctx.show(themes_card(overview, ctx.deps.config.themes, ctx.deps.texts, ctx.lang))


def parse_schedule(text: str) -> tuple[int, str] | None:
    """A weekday and a time from "dinsdag 9:30", "tuesday 09.30" or "di 9u"; None if unreadable."""
    words = text.lower().split(maxsplit=1)
    if len(words) != 2:
        return None
    day = next((index for name, index in WEEKDAYS.items() if name.startswith(words[0]) and len(words[0]) >= 2), None)
    match = _TIME.match(words[1].strip())
    if day is None or not match or int(match[1]) > 23:
        return None
    return day, f"{int(match[1]):02d}:{match[2] or '00'}"


async def _next(ctx: CommandContext, rkk: Rkk) -> str:
    moment = await ctx.next_post(rkk.key)
    return format_moment(moment, ctx.lang) if moment else "-"
