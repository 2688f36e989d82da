"""Teams-facing side of RKK Overkoepelend: the theme card buttons and the `doorsturen` and `thema's` commands.

The handler routes the invoke verbs in THEME_VERBS here, the `forward` command to
`ThemeActions.forward` and the `themes` command to `ThemeActions.overview`; each calls one use case.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from botbuilder.schema import Activity, AdaptiveCardInvokeResponse

from bot.outbound.theme_publisher import escape_markdown
from cards.crosspost import theme_card, thread_link
from i18n.catalog import Catalog
from rkk.access import Coordinators, Person
from rkk.crosspost import (
    Actor,
    Decision,
    ForeignThemeAction,
    ForwardOutcome,
    ForwardResult,
    NotCoordinator,
    SourceThread,
    ThemeOverview,
    ThemePlanned,
    ThemePublisher,
    ThemeRepository,
    decide_theme,
    forward_thread,
    theme_overview,
)
from rkk.rounds import week_number

logger = logging.getLogger(__name__)

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
MESSAGE = "application/vnd.microsoft.activity.message"
# "Plan een kennismoment" (theme_plan) opens the planning form: bot/commands/meetings.py.
THEME_VERBS: Mapping[str, Decision] = {"theme_dismiss": Decision.DISMISS}
_FORWARD_TEXTS = {
    ForwardOutcome.FORWARDED: "forward_done",
    ForwardOutcome.ALREADY: "forward_already",
    ForwardOutcome.IN_PROGRESS: "forward_in_progress",
    ForwardOutcome.NOT_A_THREAD: "forward_not_a_thread",
    ForwardOutcome.NO_UMBRELLA: "theme_no_umbrella",
    ForwardOutcome.FAILED: "forward_failed",
}


@dataclass(frozen=True)
class ThemeActionDeps:
    """What the theme buttons and the forward command are built from (composed in app.py)."""

    themes: ThemeRepository
    publisher: ThemePublisher
    texts: Catalog
    coordinators: Coordinators
    clock: Callable[[], datetime]
    umbrella_team: str | None
    umbrella_channel: str | None
    show_names: bool = False


def actor_of(activity: Activity, person: Person) -> Actor:
    """Who acts: Entra object id (else the Teams user id) and display name."""
    sender = activity.from_property
    sender_id = getattr(sender, "id", None) or "unknown"
    name = getattr(sender, "name", None) or sender_id
    return Actor(person.aad_object_id or sender_id, name)


class ThemeActions:
    """Handles "Geen rode draad", `doorsturen` and `thema's`."""

    def __init__(self, deps: ThemeActionDeps) -> None:
        self._d = deps

    async def on_action(
        self, activity: Activity, verb: str, data: Mapping[str, Any], person: Person, lang: str
    ) -> AdaptiveCardInvokeResponse:
        """Answer a theme card button: the updated card, or a refusal that changes nothing."""
        d = self._d
        decision = THEME_VERBS.get(verb)
        if decision is None:
            return _message(d.texts.text("action_unknown", lang))
        conversation_id = activity.conversation.id if activity.conversation else None
        try:
            outcome = await decide_theme(
                d.themes,
                d.publisher,
                data.get("themeId"),
                decision,
                conversation_id,
                actor_of(activity, person),
                d.coordinators.may_steer(person, None),
                d.clock(),
                show_names=d.show_names,
            )
        except NotCoordinator:
            logger.info("theme action %s refused: not a global coordinator", verb)
            return _message(d.texts.text("theme_not_coordinator", lang))
        except ForeignThemeAction as error:
            logger.warning("theme action %s refused: %s", verb, error)
            return _message(d.texts.text("theme_foreign", lang))
        except ThemePlanned:
            return _message(d.texts.text("theme_planned", lang))
        return AdaptiveCardInvokeResponse(
            status_code=200, type=ADAPTIVE_CARD, value=theme_card(outcome.view, d.texts, lang)
        )

    async def forward(self, activity: Activity, person: Person, lang: str) -> str:
        """Forward the question thread the command was typed in; the reply text."""
        d = self._d
        conversation_id = activity.conversation.id if activity.conversation else None
        result = await forward_thread(
            d.themes,
            d.publisher,
            d.umbrella_team,
            d.umbrella_channel,
            conversation_id,
            actor_of(activity, person),
            d.clock(),
        )
        return forward_reply(result, d.texts, lang)

    async def overview(self) -> ThemeOverview:
        """The stored themes for `thema's`; reading them needs no umbrella team."""
        return await theme_overview(self._d.themes)


def forward_reply(result: ForwardResult, texts: Catalog, lang: str) -> str:
    """The reply to `doorsturen` for its outcome."""
    link = ""
    if result.team_id and result.conversation_id and result.message_id:
        link = thread_link(
            SourceThread("", result.week, result.team_id, None, result.conversation_id, result.message_id)
        )
    number = week_number(result.week) if result.week else 0
    rkk = escape_markdown(result.rkk_name)
    return texts.text(_FORWARD_TEXTS[result.outcome], lang, rkk=rkk, week_number=number, link=link)


def _message(text: str) -> AdaptiveCardInvokeResponse:
    return AdaptiveCardInvokeResponse(status_code=200, type=MESSAGE, value=text)
