"""The coordinators' `rapport`: participation and rode draden as a card with Teams charts.

In an RKK's team it covers that RKK; elsewhere every RKK the person coordinates (all of them for a
global coordinator), or the one whose key is typed first (`rapport kempen 2026`). Rights are checked
before anything is read.
"""

from __future__ import annotations

import logging

from bot.commands.context import CommandContext
from cards.insights import insights_card
from rkk.insights import (
    RECENT_WEEKS,
    TREND_WEEKS,
    InvalidPeriod,
    Scope,
    load_insights,
    parse_period,
    weeks_back,
)

logger = logging.getLogger(__name__)


async def report(ctx: CommandContext) -> None:
    """Show the insights card for the RKKs the person may see, over the period typed (or the last weeks)."""
    scope = await _scope(ctx)
    if scope is None:
        await ctx.say("not_coordinator", command=ctx.command.phrases[0])
        return
    today = ctx.deps.clock().astimezone(ctx.deps.timezone).date()
    try:
        chosen = parse_period(ctx.args, today)
    except InvalidPeriod:
        await ctx.say("insights_period_unreadable", text=ctx.args.strip()[:100])
        return
    present: set[str] = set()
    if ctx.rkk is not None and ctx.team_id is not None:
        present = await ctx.deps.roster.team_besturen(ctx.turn, ctx.team_id)
    paused = {}
    for key in scope.keys:
        pause = await ctx.deps.pause_of(key, today)
        if pause is not None:
            paused[key] = pause.until
    insights = await load_insights(
        ctx.deps.insights,
        scope,
        chosen or weeks_back(today, TREND_WEEKS),
        chosen or weeks_back(today, RECENT_WEEKS),
        present=present,
        paused=paused,
    )
    await ctx.show(insights_card(insights, ctx.deps.texts, ctx.lang))


async def _scope(ctx: CommandContext) -> Scope | None:
    """The RKKs this person may see here; None when they may see none. Takes a leading RKK key off the args."""
    if ctx.rkk is not None:
        return Scope({ctx.rkk.key: ctx.rkk.name}, everything=False) if ctx.may_steer(ctx.rkk.key) else None
    rkks = {rkk.key: rkk.name for rkk in await ctx.deps.store.list_rkks()}
    first, _, rest = ctx.args.strip().partition(" ")
    if first.lower() in rkks:
        ctx.args = rest
        key = first.lower()
        return Scope({key: rkks[key]}, everything=False) if ctx.may_steer(key) else None
    if ctx.may_steer(None):
        return Scope(rkks, everything=True)
    mine = {key: name for key, name in rkks.items() if ctx.may_steer(key)}
    return Scope(mine, everything=False) if mine else None
