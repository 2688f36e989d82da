"""Use case: a global coordinator presses "Naam aanpassen" on a theme card and gives the theme a name.

The name is shown instead of the engine's label on the card, in `thema's`, the export and the
growth replies. The refresh never overwrites it, and the theme keeps its key, so the name stays
when the theme grows; who gave it and when is in the audit log.
"""

from __future__ import annotations

import enum
import logging
import unicodedata
from dataclasses import replace
from datetime import datetime

from rkk.crosspost.decisions import NotCoordinator, theme_on_card
from rkk.crosspost.model import Actor, ThemeView
from rkk.crosspost.ports import ThemePublisher, ThemeRepository
from rkk.crosspost.views import theme_view
from rkk.errors import RkkError
from rkk.model import AuditEntry
from rkk.ports import Posted

logger = logging.getLogger(__name__)

MAX_NAME_CHARS = 80
AUDIT_ACTION = "theme_rename"


class NameProblem(enum.StrEnum):
    """Why a name was refused."""

    EMPTY = "empty"
    TOO_LONG = "too_long"


class InvalidThemeName(RkkError):
    """A theme name that breaks a rule (empty, longer than 80 characters)."""

    code = "theme_name_invalid"

    def __init__(self, problem: NameProblem) -> None:
        super().__init__(f"theme name {problem.value}", limit=MAX_NAME_CHARS)
        self.problem = problem


def clean_theme_name(text: object) -> str:
    """The name as stored: one line, spaces collapsed, trimmed, 1 to 80 characters."""
    if not isinstance(text, str):
        raise InvalidThemeName(NameProblem.EMPTY)
    # Control characters (a NUL is refused by PostgreSQL) go; line breaks and tabs become spaces.
    kept = "".join(c for c in text if c.isspace() or unicodedata.category(c) != "Cc")
    name = " ".join(kept.split())
    if not name:
        raise InvalidThemeName(NameProblem.EMPTY)
    if len(name) > MAX_NAME_CHARS:
        raise InvalidThemeName(NameProblem.TOO_LONG)
    return name


async def theme_on_card_view(
    repo: ThemeRepository,
    theme_key: object,
    conversation_id: str | None,
    actor: Actor,
    allowed: bool,
    *,
    show_names: bool = False,
) -> ThemeView:
    """The card of the theme a button sits on, for a global coordinator (the edit view, or after Annuleren)."""
    if not allowed:
        raise NotCoordinator(f"{actor.id} is not a global coordinator")
    theme, _ = await theme_on_card(repo, theme_key, conversation_id)
    return await theme_view(repo, theme, show_names)


async def rename_theme(
    repo: ThemeRepository,
    publisher: ThemePublisher,
    theme_key: object,
    name: object,
    conversation_id: str | None,
    actor: Actor,
    allowed: bool,
    now: datetime,
    *,
    show_names: bool = False,
) -> ThemeView:
    """Store the name with an audit entry and update the card for everyone; the card as it stands now.

    Refuses non-coordinators and buttons from another card; the same name again changes nothing.
    """
    if not allowed:
        raise NotCoordinator(f"{actor.id} is not a global coordinator")
    cleaned = clean_theme_name(name)
    theme, post = await theme_on_card(repo, theme_key, conversation_id)
    if cleaned == theme.custom_name:
        return await theme_view(repo, theme, show_names)
    detail = f"{theme.key}: “{theme.name}” → “{cleaned}”"
    await repo.rename_theme(
        theme.key, cleaned, AuditEntry(now, actor.id, actor.name, AUDIT_ACTION, None, detail, conversation_id)
    )
    logger.info("theme %s renamed by %s", theme.key, actor.id)
    view = await theme_view(repo, replace(theme, custom_name=cleaned), show_names)
    if post.target is not None and post.message_id is not None and post.conversation_id is not None:
        try:  # the invoke answer updates the presser's card; this updates everyone else's
            await publisher.update_theme(post.target, Posted(post.conversation_id, post.message_id), view)
        except RkkError as error:
            logger.warning("theme %s: renamed card not updated for everyone: %s", theme.key, error)
    return view
