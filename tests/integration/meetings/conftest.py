"""A world for kennismomenten: the cross-post world (RKK teams, umbrella, a posted rode draad) plus the meeting side."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from botbuilder.core import TurnContext
from botbuilder.schema import Activity, AdaptiveCardInvokeResponse, ChannelAccount

from bot.commands.meetings import MeetingActionDeps, MeetingActions
from bot.outbound.meeting_publisher import TeamsMeetingPublisher
from i18n.catalog import Catalog
from rkk.access import Person
from rkk.crosspost import crosspost_themes
from rkk.meetings import Calendar, MeetingPorts, MeetingSettings
from rkk.rounds.weeks import BRUSSELS
from rkk.store.admin_store import AdminStore
from rkk.store.meetings import MeetingStore
from rkk.store.rounds.sql_store import SqlStore
from tests.doubles.teams import FakeRoster, card_action, user
from tests.integration.crosspost.conftest import COORDINATORS, UMBRELLA_TEAM, World
from tests.unit.crosspost.examples import MAGDA, PHISHING

GLOBAL = user("29:global", "Griet Globaal", "aad-global")
KEMPEN_COORDINATOR = user("29:kempen", "Koen Kempen", "aad-kempen")
AN = user("29:an", "An Peeters", "aad-an")
JAN = user("29:jan", "Jan Janssens", "aad-jan")
EMAILS = {"29:an": "an@brasschaat.be", "29:jan": "jan@hoogstraten.be"}
DOMAINS = {"brasschaat.be": "Gemeente Brasschaat", "hoogstraten.be": "Stad Hoogstraten"}
FORM = {
    "title": "MAGDA in de praktijk",
    "date": "2026-12-03",
    "time": "14:00",
    "minutes": "90",
    "description": "Drie besturen vertellen hoe ze de documentendienst gebruiken.",
    "mode": "online",
    "speaker": "",
    "link": "https://teams.microsoft.com/l/meetup-join/19%3ameeting_demo%40thread.v2/0",
}


@dataclass
class Kennis:
    """The world, the meeting buttons, and what changed."""

    world: World
    actions: MeetingActions
    ports: MeetingPorts
    changed: list[int] = field(default_factory=list)
    theme_key: str = ""
    theme_conversation: str = ""

    async def press(
        self, verb: str, data: dict[str, Any], conversation: str, who: ChannelAccount, team: str | None = None
    ) -> AdaptiveCardInvokeResponse:
        """Press a button as `who` on the card in `conversation`; the invoke answer."""
        activity: Activity = card_action(verb, data, conversation, who, team or UMBRELLA_TEAM)
        turn = TurnContext(_NoAdapter(), activity)
        return await self.actions.on_action(turn, verb, data, Person(who.aad_object_id, None), "nl")

    def announcements(self) -> dict[str, tuple[str, dict[str, Any]]]:
        """Channel id -> (thread, card) of every announcement card posted as a new thread."""
        out = {}
        for target, activity in self.world.connector.threads:
            card = activity.attachments[0].content
            if "meeting_rsvp" in str(card):
                message_id = activity_id(self.world, target.channel_id, card)
                out[target.channel_id] = (f"{target.channel_id};messageid={message_id}", card)
        return out


def activity_id(world: World, channel: str, card: dict[str, Any]) -> str:
    """The message id FakeConnector gave the thread that holds this card."""
    index = next(i for i, (t, a) in enumerate(world.connector.threads) if a.attachments[0].content is card)
    return f"{1800000000000 + index + 1}"


class _NoAdapter:
    """TurnContext needs an adapter; the button handlers never send through it."""


def kennis_world(world: World, texts: Catalog, calendar: Calendar | None = None) -> Kennis:
    """Meeting buttons wired to the world's store, its connector double and (optionally) a calendar."""
    ports = MeetingPorts(
        MeetingStore(world.store.engine),
        world.themes,
        TeamsMeetingPublisher(world.connector, texts, BRUSSELS),
        world.publisher,
        calendar,
    )
    settings = MeetingSettings(BRUSSELS, COORDINATORS)
    changed: list[int] = []
    deps = MeetingActionDeps(
        ports,
        settings,
        texts,
        COORDINATORS,
        FakeRoster(emails=EMAILS, domains=DOMAINS),
        lambda: world.now,
        AdminStore(world.store.engine).record,
        changed.append,
    )
    return Kennis(world, MeetingActions(deps), ports, changed)


async def with_rode_draad(kennis: Kennis) -> Kennis:
    """Seed two rode draden and cross-post them; remember MAGDA's card."""
    world = kennis.world
    await world.seed(MAGDA + PHISHING)
    await crosspost_themes(world.themes, world.publisher, world.settings, world.now, holder="t")
    for theme in await world.themes.list_themes():
        post = await world.themes.get_crosspost(theme.key)
        if theme.label == "MAGDA documentendienst" and post is not None and post.conversation_id:
            kennis.theme_key, kennis.theme_conversation = theme.key, post.conversation_id
    return kennis


@pytest.fixture
async def kennis(store: SqlStore, texts: Catalog, now: Any) -> Kennis:
    """Demo mode (no Graph): the world with a posted MAGDA rode draad."""
    world = World(store, texts, now)
    await world.setup()
    return await with_rode_draad(kennis_world(world, texts))
