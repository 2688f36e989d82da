"""Use cases of RKK Overkoepelend: cross-post recurring themes once, follow their growth, decide, forward.

A theme's card is posted once: the theme_crossposts row is claimed before posting (its primary
key is the theme), so replicas and re-runs never post a second card. When the theme reaches new
RKKs or besturen, the card is updated in place and a short reply in its thread says what changed.
A dismissed theme stays quiet unless it grows substantially (see `grew_substantially`).
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from rkk.crosspost.model import (
    Actor,
    CrossPost,
    ForwardView,
    PostUncertain,
    StoredTheme,
    ThemeStatus,
    grew,
    grew_substantially,
    resolve_umbrella,
)
from rkk.crosspost.ports import ThemePublisher, ThemeRepository
from rkk.crosspost.refresh import refresh_themes
from rkk.crosspost.views import growth, theme_view
from rkk.errors import RkkError
from rkk.model import ChannelTarget
from rkk.ports import Posted
from rkk.rounds import Stopped
from rkk.themes import DetectionParams, Embedder, RecurrenceRule, Theme

logger = logging.getLogger(__name__)

LEASE = "themes"
LEASE_SECONDS = 900
CLAIM_LEASE = timedelta(minutes=5)  # an unsent card claim of a process that died is free again after this


class ForwardOutcome(enum.StrEnum):
    """What became of a request to forward a question thread."""

    FORWARDED = "forwarded"
    ALREADY = "already"  # forwarded before: never twice
    IN_PROGRESS = "in_progress"
    NOT_A_THREAD = "not_a_thread"  # the command was not given in a question thread
    NO_UMBRELLA = "no_umbrella"
    FAILED = "failed"


@dataclass(frozen=True)
class ForwardResult:
    """The outcome, and where the forward sits when there is one."""

    outcome: ForwardOutcome
    rkk_name: str = ""
    week: str = ""
    team_id: str | None = None
    conversation_id: str | None = None
    message_id: str | None = None


class UmbrellaMissing(RkkError):
    """The Overkoepelend team or channel is not configured, or the bot is not installed there."""

    code = "theme_no_umbrella"


@dataclass(frozen=True)
class CrossPostSettings:
    """What the cross-post job needs from the config."""

    rule: RecurrenceRule
    umbrella_team: str | None
    umbrella_channel: str | None = None
    show_names: bool = False
    params: DetectionParams = field(default_factory=DetectionParams)


@dataclass
class CrossPostReport:
    """What a run did, for the log and the CLI."""

    posted: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    recurring: int = 0
    themes: int = 0  # every theme the refresh found, recurring or not
    skipped: str | None = None  # why nothing ran (another replica holds the lease, no umbrella)


async def umbrella_target(repo: ThemeRepository, team: str | None, channel: str | None) -> ChannelTarget:
    """The Overkoepelend channel from the installed teams; UmbrellaMissing when it cannot be reached."""
    if not team:
        raise UmbrellaMissing("no overkoepelend team configured")
    target = resolve_umbrella(await repo.installed_teams(), team, channel)
    if target is None:
        raise UmbrellaMissing(f"team {team!r} (channel {channel!r}) not installed", team=team)
    return target


async def leased_refresh(
    repo: ThemeRepository,
    settings: CrossPostSettings,
    now: datetime,
    *,
    holder: str,
    embedder: Embedder | None = None,
) -> list[Theme] | None:
    """The stored themes brought up to date without posting, under the names coordinators gave them.

    None while another run holds the lease.
    """
    if not await repo.lease(LEASE, holder, now, LEASE_SECONDS):
        return None
    try:
        refreshed = await refresh_themes(repo, settings.rule, now, params=settings.params, embedder=embedder)
        names = {t.key: t.name for t in await repo.list_themes()}
        return [replace(t, label=names.get(t.key, t.label)) for t in refreshed.themes]
    finally:
        await repo.release(LEASE, holder)


async def crosspost_themes(
    repo: ThemeRepository,
    publisher: ThemePublisher,
    settings: CrossPostSettings,
    now: datetime,
    *,
    holder: str,
    embedder: Embedder | None = None,
) -> CrossPostReport:
    """Refresh the themes, post each newly recurring one once, and update the cards of those that grew."""
    report = CrossPostReport()
    if not await repo.lease(LEASE, holder, now, LEASE_SECONDS):
        report.skipped = "lease"
        return report
    try:
        refreshed = await refresh_themes(repo, settings.rule, now, params=settings.params, embedder=embedder)
        recurring = [t for t in refreshed.themes if t.recurring]
        report.recurring, report.themes = len(recurring), len(refreshed.themes)
        if not recurring:
            return report
        try:
            target = await umbrella_target(repo, settings.umbrella_team, settings.umbrella_channel)
        except UmbrellaMissing as error:
            logger.warning("cross-post skipped: %s", error)
            report.skipped = "umbrella"
            return report
        stored = {t.key: t for t in await repo.list_themes([t.key for t in recurring])}
        for key in sorted(stored):
            try:
                await _one(repo, publisher, settings, stored[key], target, now, report, holder)
            except Stopped:  # the next run posts and updates the rest
                logger.info("cross-post: this process is stopping; %s and later themes wait", key)
                report.skipped = "stopping"
                break
    finally:
        await repo.release(LEASE, holder)
    return report


async def _one(
    repo: ThemeRepository,
    publisher: ThemePublisher,
    settings: CrossPostSettings,
    theme: StoredTheme,
    target: ChannelTarget,
    now: datetime,
    report: CrossPostReport,
    holder: str,
) -> None:
    """Post, update or leave one recurring theme."""
    post = await repo.get_crosspost(theme.key)
    try:
        if post is None or post.state in ("failed", "claimed"):  # a claim left by a dead process may be retaken
            if theme.status in (ThemeStatus.ACTIVE, ThemeStatus.CROSSPOSTED) and await _post(
                repo, publisher, settings, theme, target, now, holder
            ):
                report.posted.append(theme.key)
        elif post.state == "posted" and await _follow(repo, publisher, settings, theme, post, now):
            report.updated.append(theme.key)
    except RkkError as error:
        logger.error("cross-post of theme %s failed: %s", theme.key, error)
        report.failed.append(theme.key)


async def _post(
    repo: ThemeRepository,
    publisher: ThemePublisher,
    settings: CrossPostSettings,
    theme: StoredTheme,
    target: ChannelTarget,
    now: datetime,
    holder: str,
) -> bool:
    """Claim the theme's card, then post it; False when another run holds the claim."""
    if not await repo.claim_crosspost(theme.key, theme.spread, now, holder, CLAIM_LEASE):
        return False
    view = await theme_view(repo, theme, settings.show_names, status=ThemeStatus.CROSSPOSTED)
    try:
        posted = await publisher.post_theme(target, view, _CardGuard(repo, theme.key, holder, now))
    except PostUncertain:
        logger.error("theme %s: Teams did not answer; the claim stays so no second card can follow", theme.key)
        raise
    except (RkkError, Stopped) as error:  # nothing was posted: a later run may claim the card again
        await repo.mark_crosspost_failed(theme.key, str(error))
        raise
    await repo.mark_crossposted(theme.key, target, posted, now)
    logger.info("theme %s (%s) cross-posted", theme.key, theme.name)
    return True


class _CardGuard:
    """The fence around each HTTP attempt of a theme card's post (see `rkk.rounds.posting`)."""

    def __init__(self, repo: ThemeRepository, key: str, owner: str, now: datetime) -> None:
        self._repo, self._key, self._owner, self._now = repo, key, owner, now

    async def enter(self) -> bool:
        """Mark the card's request as going out; False if another run retook the claim."""
        return await self._repo.start_crosspost_send(self._key, self._owner, self._now)

    async def leave(self) -> None:
        """Teams refused the attempt: the claim is unsent again."""
        await self._repo.stop_crosspost_send(self._key, self._owner, self._now, CLAIM_LEASE)


async def _follow(
    repo: ThemeRepository,
    publisher: ThemePublisher,
    settings: CrossPostSettings,
    theme: StoredTheme,
    post: CrossPost,
    now: datetime,
) -> bool:
    """Update the card and reply in its thread when the theme reaches new RKKs or besturen."""
    if post.target is None or post.conversation_id is None or post.message_id is None:
        return False
    if not grew(post.shown, theme.spread):
        return False
    status, returned = theme.status, False
    if status is ThemeStatus.DISMISSED:
        dismissal = await repo.last_decision(theme.key)
        baseline = dismissal.spread if dismissal is not None else post.shown
        if not grew_substantially(baseline, theme.spread):
            return False
        status, returned = ThemeStatus.CROSSPOSTED, True
    if not await repo.advance_crosspost(theme.key, post.revision, theme.spread, now):
        return False  # another run recorded this growth first
    if returned:
        await repo.set_status(theme.key, status, now)
    view = await theme_view(repo, theme, settings.show_names, status=status)
    posted = Posted(post.conversation_id, post.message_id)
    try:
        await publisher.update_theme(post.target, posted, view)
        await publisher.announce_growth(post.target, posted, growth(post.shown, theme.spread, view, returned))
    except (RkkError, Stopped):
        await repo.advance_crosspost(theme.key, post.revision + 1, post.shown, now)  # try again next run
        raise
    logger.info("theme %s grew: card updated", theme.key)
    return True


async def forward_thread(
    repo: ThemeRepository,
    publisher: ThemePublisher,
    umbrella_team: str | None,
    umbrella_channel: str | None,
    conversation_id: str | None,
    actor: Actor,
    now: datetime,
) -> ForwardResult:
    """Forward the question thread the command was typed in to the Overkoepelend channel, once."""
    source = await repo.thread_source(conversation_id) if conversation_id else None
    if source is None:
        return ForwardResult(ForwardOutcome.NOT_A_THREAD)
    rkk, week = source.thread.rkk_name, source.thread.week
    try:
        target = await umbrella_target(repo, umbrella_team, umbrella_channel)
    except UmbrellaMissing:
        return ForwardResult(ForwardOutcome.NO_UMBRELLA, rkk, week)
    if not await repo.claim_forward(source.round_id, actor.id, actor.name, now):
        done = await repo.get_forward(source.round_id)
        if done is not None and done.state == "posted":
            return ForwardResult(
                ForwardOutcome.ALREADY, rkk, week, done.target_team_id, done.conversation_id, done.message_id
            )
        return ForwardResult(ForwardOutcome.IN_PROGRESS, rkk, week)
    view = ForwardView(rkk, week, source.question, source.answer_count, actor.name, source.thread)
    try:
        posted = await publisher.post_forward(target, view)
    except PostUncertain as error:
        logger.error("forward of round %s: Teams did not answer; not retried: %s", source.round_id, error)
        return ForwardResult(ForwardOutcome.FAILED, rkk, week)
    except (RkkError, Stopped) as error:
        logger.error("forward of round %s failed: %s", source.round_id, error)
        await repo.mark_forward_failed(source.round_id, str(error))
        return ForwardResult(ForwardOutcome.FAILED, rkk, week)
    await repo.mark_forwarded(source.round_id, target, posted)
    logger.info("round %s forwarded by %s", source.round_id, actor.id)
    return ForwardResult(ForwardOutcome.FORWARDED, rkk, week, target.team_id, posted.conversation_id, posted.message_id)
