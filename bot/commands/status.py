"""The coordinator's `status`: this week's round per RKK, answers, participation per bestuur, pause, last
error, and for a post that may not have reached Teams the buttons to decide."""

from __future__ import annotations

import logging
from typing import Any

from bot.commands.context import BotDeps, CommandContext
from cards.listing import Row, execute, listing_card
from i18n.calendar import format_day, format_moment
from rkk.access import Person
from rkk.model import Rkk
from rkk.rounds import Decision, PostOutcome, StatusRow, load_status, resolve_uncertain

logger = logging.getLogger(__name__)

UNCERTAIN_VERBS = {"uncertain_post": Decision.POST_AGAIN, "uncertain_dismiss": Decision.DISMISS}


async def status(ctx: CommandContext, rkk: Rkk | None) -> None:
    """One block per RKK: the RKK's own for its coordinators, every RKK they coordinate otherwise."""
    rows = await load_status(ctx.deps.store, ctx.deps.clock(), ctx.deps.pause_of, ctx.deps.timezone)
    shown = [row for row in rows if (row.rkk_key == rkk.key if rkk else ctx.may_steer(row.rkk_key))]
    present = await ctx.deps.roster.team_besturen(ctx.turn, ctx.team_id) if rkk and ctx.team_id else None
    blocks = [await _block(ctx, row, present) for row in shown]
    await ctx.show(listing_card(ctx.t("status_title", rkk=rkk.name if rkk else "RKK's"), blocks, "-"))


async def uncertain_action(deps: BotDeps, person: Person, verb: str, data: dict[str, Any], lang: str) -> str:
    """A coordinator's decision on a post that may not have reached Teams, authorised again here."""
    rkk_key, week = data.get("rkk"), data.get("week")
    if not isinstance(rkk_key, str) or not isinstance(week, str) or verb not in UNCERTAIN_VERBS:
        return deps.texts.text("action_unknown", lang)
    if not deps.coordinators.may_steer(person, rkk_key):
        return deps.texts.text("not_coordinator", lang, command="status")
    result = await resolve_uncertain(deps.store, deps.publisher, rkk_key, week, UNCERTAIN_VERBS[verb], deps.clock())
    if result is None:
        return deps.texts.text("status_decided_already", lang)
    if result.outcome is PostOutcome.POSTED:
        return deps.texts.text("posted", lang, week=week, rkk=rkk_key)
    return deps.texts.text("status_uncertain_dismissed", lang, week=week)


async def _block(ctx: CommandContext, row: StatusRow, present: set[str] | None) -> Row:
    lang, tz = ctx.lang, ctx.deps.timezone
    lines = [ctx.t("status_round", week=row.week, state=ctx.t(f"rounds_phase_{row.phase}"))]
    if row.posted_at:
        lines.append(ctx.t("status_posted_at", posted=format_moment(row.posted_at.astimezone(tz), lang)))
    actions = []
    if row.round_id is not None and row.answers is not None:
        besturen = await ctx.deps.admin.answers_by_bestuur(row.round_id)
        from_besturen = ctx.deps.texts.count("status_from_besturen", len(besturen), lang)
        lines.append(ctx.t("status_answers", count=row.answers, from_besturen=from_besturen))
        if present:
            lines.append(ctx.t("status_participation", answered=len(set(besturen) & present), present=len(present)))
    if row.last_error:
        lines.append(ctx.t("status_error", error=row.last_error[:300]))
    if row.pause:
        lines.append(ctx.t("status_paused", until=format_day(row.pause.until, lang), reason=row.pause.reason))
    if row.phase == "uncertain":
        data = {"rkk": row.rkk_key, "week": row.week}
        actions = [
            execute(ctx.t("status_post_anyway"), "uncertain_post", data),
            execute(ctx.t("status_is_there"), "uncertain_dismiss", data),
        ]
    moment = await ctx.next_post(row.rkk_key)
    lines.append(ctx.t("status_next", next=format_moment(moment, lang) if moment else "-"))
    return Row(row.rkk_name, "\n".join(lines), actions)
