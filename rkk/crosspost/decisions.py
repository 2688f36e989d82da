"""Use case: a coordinator presses "Plan een kennismoment" or "Geen rode draad" on a theme card."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from rkk.crosspost.model import (
    Actor,
    CrossPost,
    Decision,
    DecisionRecord,
    StoredTheme,
    ThemeStatus,
    ThemeView,
    same_thread,
)
from rkk.crosspost.ports import ThemePublisher, ThemeRepository
from rkk.crosspost.views import theme_view
from rkk.errors import RkkError
from rkk.ports import Posted

logger = logging.getLogger(__name__)

STATUS_OF = {Decision.PLAN: ThemeStatus.PLANNED, Decision.DISMISS: ThemeStatus.DISMISSED}
MAX_MERGE_HOPS = 5


class NotCoordinator(RkkError):
    """Only global coordinators may decide on a theme."""

    code = "theme_not_coordinator"


class ForeignThemeAction(RkkError):
    """The action names a theme whose card is not the one the button sits on."""

    code = "theme_foreign"


class ThemePlanned(RkkError):
    """A kennismoment is planned for the theme: it is cancelled first, then the theme may be dismissed."""

    code = "theme_planned"


@dataclass(frozen=True)
class DecisionOutcome:
    """The card as it stands after the decision, and whether anything was recorded."""

    view: ThemeView
    recorded: bool


async def decide_theme(
    repo: ThemeRepository,
    publisher: ThemePublisher,
    theme_key: object,
    decision: Decision,
    conversation_id: str | None,
    actor: Actor,
    allowed: bool,
    now: datetime,
    *,
    show_names: bool = False,
) -> DecisionOutcome:
    """Record the decision with who and when; refuse non-coordinators and actions from another card."""
    if not allowed:
        raise NotCoordinator(f"{actor.id} is not a global coordinator")
    theme, post = await theme_on_card(repo, theme_key, conversation_id)
    if decision is Decision.DISMISS and await repo.planned_meetings([theme.key]):
        raise ThemePlanned(f"theme {theme.key} has a kennismoment planned")
    status = STATUS_OF[decision]
    last = await repo.last_decision(theme.key)
    if theme.status is status and last is not None and last.decision is decision:
        return DecisionOutcome(await theme_view(repo, theme, show_names, decision=last), recorded=False)
    record = DecisionRecord(theme.key, decision, actor.id, actor.name, now, theme.spread)
    await repo.record_decision(record, status)
    logger.info("theme %s: %s by %s", theme.key, decision.value, actor.id)
    view = await theme_view(repo, theme, show_names, status=status, decision=record)
    if post.target is not None and post.message_id is not None and post.conversation_id is not None:
        try:  # the invoke answer updates the presser's view; this updates everyone else's
            await publisher.update_theme(post.target, Posted(post.conversation_id, post.message_id), view)
        except RkkError as error:
            logger.warning("theme %s: card not updated for everyone: %s", theme.key, error)
    return DecisionOutcome(view, recorded=True)


async def theme_on_card(
    repo: ThemeRepository, theme_key: object, conversation_id: str | None
) -> tuple[StoredTheme, CrossPost]:
    """The theme the card shows (following merges), checked against the thread the action came from."""
    if not isinstance(theme_key, str) or not theme_key:
        raise ForeignThemeAction("card data has no theme id")
    key: str | None = theme_key
    for _ in range(MAX_MERGE_HOPS):
        theme = await repo.get_theme(key) if key else None
        if theme is None:
            break
        if theme.status is not ThemeStatus.MERGED:
            post = await repo.get_crosspost(theme.key)
            if post is None or post.state != "posted":
                break
            if not same_thread(post.conversation_id, post.message_id, conversation_id):
                raise ForeignThemeAction(f"theme {theme_key} is not on the card in {conversation_id}")
            return theme, post
        key = theme.merged_into
    raise ForeignThemeAction(f"theme {theme_key} has no card")
