"""The bot on botbuilder's TestAdapter with the scoring round wired as app.py wires it, around a real store."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from botbuilder.core import InvokeResponse
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity

from bot.commands.scoring_actions import ScoringActions, ScoringDeps
from bot.handler import RkkBot
from bot.outbound.scoring_publisher import TeamsScoringPublisher
from i18n.catalog import Catalog
from rkk.crosspost import ThemeStatus
from rkk.model import Installation
from rkk.scoring import PostKey, PostKind, Scoring, ScoringSettings
from rkk.store.admin_store import AdminStore
from rkk.store.crosspost import ThemeStore
from rkk.store.rounds.sql_store import SqlStore
from rkk.store.scoring import ScoringStore
from scheduler.scoring import ScoringJob
from tests.card_text import strings
from tests.doubles.teams import (
    BOT_ID,
    SERVICE_URL,
    TEAM_ID,
    TENANT_ID,
    FakePublisher,
    FakeRoster,
    bot_deps,
    card_action,
    channel_message,
    installed,
    user,
)
from tests.integration.scoring.conftest import THEMES
from tests.integration.test_theme_commands import store_themes
from tests.unit.crosspost.doubles import FakeConnector

UMBRELLA_TEAM = "19:overkoepelend-general@thread.tacv2"
UMBRELLA_CHANNEL = "19:rode-draden@thread.tacv2"
GLOBAL = user("29:global", "Griet Globaal", "aad-global")
KEMPEN_COORDINATOR = user("29:coord", "Koen Coördinator", "aad-coord")
AN = user("29:an", "An Peeters", "aad-an")
BART = user("29:bart", "Bart Claes", "aad-bart")
CIS = user("29:cis", "Cis Wouters", "aad-cis")
XAVIER = user("29:xavier", "Xavier Onbekend", "aad-xavier")
EMAILS = {
    "29:an": "an.peeters@brasschaat.be",
    "29:bart": "bart.claes@brasschaat.be",
    "29:cis": "cis@hoogstraten.be",
    "29:xavier": "xavier@elders.example",
    "29:global": "griet@v-ict-or.be",
}
DOMAINS = {"brasschaat.be": "Gemeente Brasschaat", "hoogstraten.be": "Stad Hoogstraten"}


class ScoringBot:
    """Installed in Kempen (an RKK) and in RKK Overkoepelend, with rode draden stored."""

    def __init__(self, store: SqlStore, texts: Catalog, now: datetime) -> None:
        self.store, self.texts, self.now = store, texts, now
        self.connector = FakeConnector()
        self.admin = AdminStore(store.engine)
        self.scoring_store = ScoringStore(store.engine)
        settings = ScoringSettings(umbrella_team="RKK Overkoepelend", umbrella_channel="Rode draden")
        publisher = TeamsScoringPublisher(self.connector, texts)  # type: ignore[arg-type]  # the double
        scoring = Scoring(self.scoring_store, store, ThemeStore(store.engine), publisher, self.admin, settings)
        self.scoring = scoring
        self.job = ScoringJob(scoring, lambda: self.now)
        deps = bot_deps(store, FakePublisher(), texts, lambda: self.now)
        roster = FakeRoster(emails=EMAILS, domains=DOMAINS)
        actions = ScoringActions(
            ScoringDeps(scoring, texts, deps.coordinators, roster, lambda: self.now, self.job.kick)
        )
        self.deps = replace(deps, roster=roster, scoring=actions)
        self.bot = RkkBot(self.deps)
        self.adapter = TestAdapter()

    async def setup(self) -> None:
        """Install the bot in Kempen and in RKK Overkoepelend; store the rode draden."""
        await self.send(installed())
        umbrella = Installation(
            UMBRELLA_TEAM,
            "RKK Overkoepelend",
            "group-overkoepelend",
            TENANT_ID,
            SERVICE_URL,
            BOT_ID,
            ((UMBRELLA_TEAM, "General"), (UMBRELLA_CHANNEL, "Rode draden")),
        )
        await self.store.register_installation(umbrella, self.now)
        await store_themes(self.store, self.now, THEMES, {"t-nee": ThemeStatus.DISMISSED})

    async def send(self, activity: Activity) -> list[Activity]:
        """The activities the bot sends back for one incoming activity (after any kicked scoring step)."""
        self.adapter.activity_buffer.clear()
        await self.adapter.run_pipeline(self.adapter.create_turn_context(activity), self.bot.on_turn)
        await self.job.drain()
        return list(self.adapter.activity_buffer)

    async def say(self, text: str, sender: Any = GLOBAL, team: str | None = None) -> list[Activity]:
        """A typed command: in a team's channel when `team` is given, else in a personal chat."""
        return await self.send(channel_message(text, sender, team_id=team))

    async def press(self, verb: str, data: dict[str, Any], conversation: str, sender: Any, team: str | None) -> Any:
        """Press a card button; the invoke answer's body (card or message)."""
        [reply] = await self.send(card_action(verb, data, conversation, sender, team_id=team))
        assert isinstance(reply.value, InvokeResponse) and reply.value.status == 200
        return reply.value.body

    async def start(self, **inputs: Any) -> None:
        """A global coordinator starts a round from the setup card in a personal chat (three rode draden)."""
        [reply] = await self.say("scoor rode draden")
        card = reply.attachments[0].content
        data = {"themes": card["actions"][0]["data"]["themes"], "t0": "true", "t1": "true", "t2": "true"}
        data |= {"deadlineDate": "2026-12-07", "deadlineTime": "17:00", "audience": "kempen"} | inputs
        body = await self.press("scoring_start", data, "a:personal", GLOBAL, None)
        assert "gestart" in body.value, body.value

    async def ballot_thread(self, scoring_id: int = 1) -> str:
        """The conversation id of Kempen's ballot."""
        post = await self.scoring_store.get_post(PostKey(scoring_id, PostKind.BALLOT, "kempen"))
        assert post is not None and post.conversation_id
        return post.conversation_id

    async def score(self, sender: Any, values: dict[str, Any], verb: str = "score_submit", **data: Any) -> Any:
        """Press a button on Kempen's ballot in its thread; the invoke answer's body."""
        thread = await self.ballot_thread()
        return await self.press(verb, {"scoringId": 1, "rkk": "kempen"} | data | values, thread, sender, TEAM_ID)

    def later(self, days: float) -> None:
        """Move the clock on."""
        self.now += timedelta(days=days)


def text_of(activities: list[Activity]) -> str:
    """Texts and card texts of the bot's replies, joined."""
    return "\n".join(
        [a.text or "" for a in activities] + [strings(att.content) for a in activities for att in a.attachments or []]
    )
