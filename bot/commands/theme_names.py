"""Teams-facing side of "Naam aanpassen" on a theme card: the edit view, Opslaan and Annuleren.

The handler routes the invoke verbs in RENAME_VERBS here. Every verb is authorised on the server
(global coordinators only) before anything is read, and the card's thread must be the theme's.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from botbuilder.schema import Activity, AdaptiveCardInvokeResponse

from bot.commands.themes import ADAPTIVE_CARD, MESSAGE, ThemeActionDeps, actor_of
from cards.crosspost import theme_card
from rkk.access import Person
from rkk.crosspost import (
    MAX_NAME_CHARS,
    ForeignThemeAction,
    InvalidThemeName,
    NameProblem,
    NotCoordinator,
    rename_theme,
    theme_on_card_view,
)

logger = logging.getLogger(__name__)

RENAME = "theme_rename"  # show the edit view
RENAME_SAVE = "theme_rename_save"
RENAME_CANCEL = "theme_rename_cancel"
RENAME_VERBS = frozenset({RENAME, RENAME_SAVE, RENAME_CANCEL})
NAME_INPUT = "themeName"  # the Input.Text id in cards/templates/crosspost.json
_PROBLEM_TEXTS = {NameProblem.EMPTY: "theme_name_empty", NameProblem.TOO_LONG: "theme_name_too_long"}


class ThemeNames:
    """Handles the rename buttons of a theme card; each press calls one use case."""

    def __init__(self, deps: ThemeActionDeps) -> None:
        self._d = deps

    async def on_action(
        self, activity: Activity, verb: str, data: Mapping[str, Any], person: Person, lang: str
    ) -> AdaptiveCardInvokeResponse:
        """The card in its edit or usual view, or a refusal that changes nothing and leaves the card as it is."""
        d = self._d
        conversation_id = activity.conversation.id if activity.conversation else None
        actor = actor_of(activity, person)
        allowed = d.coordinators.may_steer(person, None)
        try:
            if verb == RENAME_SAVE:
                view = await rename_theme(
                    d.themes,
                    d.publisher,
                    data.get("themeId"),
                    data.get(NAME_INPUT),
                    conversation_id,
                    actor,
                    allowed,
                    d.clock(),
                    show_names=d.show_names,
                )
                card = theme_card(view, d.texts, lang)
            else:
                view = await theme_on_card_view(
                    d.themes, data.get("themeId"), conversation_id, actor, allowed, show_names=d.show_names
                )
                card = theme_card(view, d.texts, lang, name_draft=view.label if verb == RENAME else None)
        except NotCoordinator:
            logger.info("theme action %s refused: not a global coordinator", verb)
            return _message(d.texts.text("theme_rename_not_coordinator", lang))
        except ForeignThemeAction as error:
            logger.warning("theme action %s refused: %s", verb, error)
            return _message(d.texts.text("theme_foreign", lang))
        except InvalidThemeName as error:
            # A message leaves the presser's card as it is, with the name they typed still in it.
            return _message(d.texts.text(_PROBLEM_TEXTS[error.problem], lang, limit=MAX_NAME_CHARS))
        return AdaptiveCardInvokeResponse(status_code=200, type=ADAPTIVE_CARD, value=card)


def _message(text: str) -> AdaptiveCardInvokeResponse:
    return AdaptiveCardInvokeResponse(status_code=200, type=MESSAGE, value=text)
