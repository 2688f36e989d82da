"""The coordinator's `status`: this week's round, answers, participation per bestuur, pause and last error."""

from __future__ import annotations

import logging

from bot.command_context import CommandContext
from cards.listing import Row, listing_card
from i18n.calendar import format_day, format_moment
from rkk.model import Rkk
from rkk.weeks import iso_week
from scheduler.weekly import pause_on

logger = logging.getLogger(__name__)


async def status(ctx: CommandContext, rkk: Rkk | None) -> None:
    """One block per RKK: the RKK's own for its coordinators, every RKK for global coordinators."""
    rkks = [rkk] if rkk else [r for r in await ctx.deps.store.list_rkks() if ctx.may_steer(r.key)]
    present = await ctx.deps.roster.team_besturen(ctx.turn, ctx.team_id) if rkk and ctx.team_id else None
    rows = [await _row(ctx, r, present) for r in rkks]
    await ctx.show(listing_card(ctx.t("status_title", rkk=rkk.name if rkk else "RKK's"), rows, "-"))


async def _row(ctx: CommandContext, rkk: Rkk, present: set[str] | None) -> Row:
    deps, lang = ctx.deps, ctx.lang
    now = deps.clock()
    week = iso_week(now, deps.timezone)
    round_ = await deps.store.round_for_week(rkk.key, week)
    controls = await deps.admin.controls(rkk.key)
    today = now.astimezone(deps.timezone).date()
    lines = []
    if round_ is None:
        lines.append(ctx.t("status_no_round", week=week))
    else:
        count = await deps.store.count_answers(round_.id)
        besturen = await deps.admin.answers_by_bestuur(round_.id)
        posted = format_moment(round_.posted_at.astimezone(deps.timezone), lang) if round_.posted_at else "-"
        lines.append(ctx.t("status_round", week=week, state=ctx.t(f"state_{round_.state.value}"), posted=posted))
        lines.append(ctx.t("status_answers", count=count, besturen=len(besturen)))
        if present:
            answered = len(set(besturen) & present)
            lines.append(ctx.t("status_participation", answered=answered, present=len(present)))
        if round_.last_error:
            lines.append(ctx.t("status_error", error=round_.last_error[:300]))
    config_pause = pause_on(deps.config, rkk.key, today)
    if controls.paused_until and controls.paused_until >= today:
        lines.append(
            ctx.t("status_paused", until=format_day(controls.paused_until, lang), reason=controls.pause_reason or "")
        )
    elif config_pause:
        lines.append(ctx.t("status_paused", until=format_day(config_pause.end, lang), reason=config_pause.reason))
    moment = await ctx.next_post(rkk.key)
    lines.append(ctx.t("status_next", next=format_moment(moment, lang) if moment else "-"))
    return Row(rkk.name, "\n".join(lines))
