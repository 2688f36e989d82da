"""The scoring round's typed commands: `scoor rode draden`, `scoring status`, `scoring sluiten`,
`scoring verlengen` and `scoring resultaten`; the buttons are in bot/commands/scoring_actions.py."""

from __future__ import annotations

import logging

from bot import activity_facts as facts
from bot.commands.context import CommandContext
from bot.commands.scoring_actions import CLOSE_CANCEL, CLOSE_CONFIRM, REPOST, ScoringActions, actor_of, refusal
from bot.outbound.scoring_publisher import results_link
from cards.confirm import confirm_card
from cards.listing import Row, execute, listing_card
from cards.scoring_results import results_card
from cards.scoring_setup import SetupView, chosen_rkks, setup_card
from i18n.calendar import format_moment
from rkk.crosspost import UmbrellaMissing
from rkk.errors import RkkError
from rkk.scoring import (
    UMBRELLA,
    BallotStatus,
    CardPost,
    Progress,
    ScoringRound,
    ScoringState,
    default_deadline,
    extend_scoring,
    parse_deadline,
    phase_of,
    results_view,
    rode_draden,
    round_progress,
    umbrella,
)

logger = logging.getLogger(__name__)


def _actions(ctx: CommandContext) -> ScoringActions | None:
    return ctx.deps.scoring


async def _global_only(ctx: CommandContext) -> ScoringActions | None:
    """The scoring parts when the person is a global coordinator; else None after saying why."""
    actions = _actions(ctx)
    if not ctx.may_steer(None):
        await ctx.say("scoring_not_global", command=ctx.command.phrases[0])
        return None
    if actions is None:
        await ctx.say("theme_no_umbrella")
    return actions


async def start(ctx: CommandContext) -> None:
    """Show the setup card (global coordinators, in a personal chat or in RKK Overkoepelend)."""
    actions = await _global_only(ctx)
    if actions is None:
        return
    s, now = actions.deps.scoring, ctx.deps.clock()
    try:
        target = await umbrella(s)
    except UmbrellaMissing:
        await ctx.say("theme_no_umbrella")
        return
    if not facts.in_personal_chat(ctx.turn.activity) and ctx.team_id != target.team_id:
        await ctx.say("scoring_where")
        return
    current = await s.repo.open_round()
    if current is not None:
        tz = s.settings.timezone
        await ctx.say(
            "scoring_already_open",
            started_by=current.started_by,
            started=format_moment(current.started_at.astimezone(tz), ctx.lang),
            deadline=format_moment(current.deadline.astimezone(tz), ctx.lang),
        )
        return
    view = SetupView(
        themes=tuple(rode_draden(await s.themes.list_themes())),
        rkks=chosen_rkks(await s.rkks.list_rkks()),
        deadline=default_deadline(now, s.settings),
    )
    await ctx.show(setup_card(view, ctx.deps.texts, ctx.lang))


async def status(ctx: CommandContext) -> None:
    """Where the open (or latest) round stands: per RKK its ballot and how many besturen scored."""
    actions = _actions(ctx)
    round_ = await _current(actions)
    if actions is None or round_ is None:
        await ctx.say("scoring_none_ever")
        return
    shown = await round_progress(actions.deps.scoring, round_)
    rows = [_summary(ctx, shown)]
    rows += [_ballot_row(ctx, round_, b) for b in shown.ballots if ctx.may_steer(b.participation.rkk_key)]
    rows += [_results_row(ctx, post) for post in shown.results]
    await ctx.show(listing_card(ctx.t("scoring_status_title", id=round_.id), rows, ""))


async def close(ctx: CommandContext) -> None:
    """Ask for confirmation before closing the open round (global coordinators)."""
    actions = await _global_only(ctx)
    if actions is None:
        return
    round_ = await actions.deps.scoring.repo.open_round()
    if round_ is None:
        await ctx.say("scoring_none")
        return
    deadline = format_moment(round_.deadline.astimezone(actions.deps.scoring.settings.timezone), ctx.lang)
    card = confirm_card(
        ctx.t("scoring_close_confirm_title"),
        ctx.t("scoring_close_confirm_text", id=round_.id, deadline=deadline),
        (ctx.t("scoring_close_confirm_button"), CLOSE_CONFIRM),
        (ctx.t("scoring_close_cancel_button"), CLOSE_CANCEL),
        {"scoringId": round_.id},
    )
    await ctx.show(card)


async def extend(ctx: CommandContext) -> None:
    """Move the open round's deadline later: `scoring verlengen 15 december 17:00` (global coordinators)."""
    actions = await _global_only(ctx)
    if actions is None:
        return
    if not ctx.args.strip():
        await ctx.say("scoring_extend_missing")
        return
    s, now = actions.deps.scoring, ctx.deps.clock()
    try:
        deadline = parse_deadline(ctx.args, now, s.settings)
        extended = await extend_scoring(s, actor_of(ctx.turn, ctx.person, ctx.actor_name), deadline, now)
    except RkkError as error:
        await ctx.turn.send_activity(refusal(error, ctx.deps.texts, ctx.lang, s.settings.timezone))
        return
    actions.deps.kick()
    moment = format_moment(extended.deadline.astimezone(s.settings.timezone), ctx.lang)
    await ctx.say("scoring_extended", id=extended.id, deadline=moment)


async def results(ctx: CommandContext) -> None:
    """The results card of the latest round; for an open round, the interim results."""
    actions = _actions(ctx)
    round_ = await _current(actions)
    if actions is None or round_ is None:
        await ctx.say("scoring_none_ever")
        return
    s = actions.deps.scoring
    if round_.state is ScoringState.OPEN:
        deadline = format_moment(round_.deadline.astimezone(s.settings.timezone), ctx.lang)
        await ctx.say("scoring_interim", deadline=deadline)
    await ctx.show(results_card(await results_view(s, round_), ctx.deps.texts, ctx.lang))


async def _current(actions: ScoringActions | None) -> ScoringRound | None:
    if actions is None:
        return None
    repo = actions.deps.scoring.repo
    return await repo.open_round() or await repo.latest_round()


def _summary(ctx: CommandContext, shown: Progress) -> Row:
    round_ = shown.round
    tz = ctx.deps.timezone
    text = ctx.t(
        "scoring_status_summary",
        state=ctx.t(f"scoring_state_{round_.state.value}"),
        deadline=format_moment(round_.deadline.astimezone(tz), ctx.lang),
        participants=shown.participants,
        started_by=round_.started_by,
    )
    return Row(ctx.t("scoring_status_title", id=round_.id), text)


def _ballot_row(ctx: CommandContext, round_: ScoringRound, ballot: BallotStatus) -> Row:
    part = ballot.participation
    lines = [
        ctx.t(
            "scoring_status_row",
            phase=ctx.t(f"scoring_phase_{ballot.phase}"),
            scored=part.scored,
            known=part.known,
            reminded=ctx.t("scoring_status_reminded") if ballot.reminded else "",
        )
    ]
    if ballot.last_error:
        lines.append(ctx.t("scoring_status_error", error=ballot.last_error[:300]))
    actions = []
    if ballot.phase == "uncertain" and round_.state is ScoringState.OPEN:
        actions = [execute(ctx.t("scoring_repost"), REPOST, {"scoringId": round_.id, "rkk": part.rkk_key})]
    return Row(part.rkk_name, "\n".join(lines), actions)


def _results_row(ctx: CommandContext, post: CardPost) -> Row:
    target = "RKK Overkoepelend" if post.target_key == UMBRELLA else post.target_key
    text = ctx.t("scoring_status_results", target=target, phase=ctx.t(f"scoring_phase_{phase_of(post)}"))
    link = results_link(post)
    return Row(ctx.t("scoring_results_title"), f"{text}\n{link}" if link else text)
