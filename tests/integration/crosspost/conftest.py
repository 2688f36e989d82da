"""A small world for the cross-post tests: RKK teams, the umbrella team, rounds and answers in a real store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from bot.outbound.theme_publisher import TeamsThemePublisher
from i18n.catalog import Catalog
from rkk.access import Coordinators
from rkk.crosspost.publishing import CrossPostSettings
from rkk.model import ChannelTarget, Installation, Member
from rkk.store.crosspost.repository import ThemeStore
from rkk.store.rounds.sql_store import SqlStore
from rkk.store.tables import answers
from rkk.themes import RecurrenceRule
from tests.doubles.rounds import posted_round
from tests.unit.crosspost.doubles import SERVICE_URL, FakeConnector

TENANT = "tenant-victor"
UMBRELLA_TEAM = "19:overkoepelend-general@thread.tacv2"
UMBRELLA_CHANNEL = "19:rode-draden@thread.tacv2"
RKKS = {
    "antwerpen": "RKK Antwerpen",
    "kempen": "RKK Kempen",
    "limburg": "RKK Limburg",
    "oost": "RKK Oost-Vlaanderen",
}
COORDINATORS = Coordinators.build(["aad-global"], {"kempen": ["aad-kempen"]}, everyone=False)


def team_id(rkk: str) -> str:
    """The General channel id of an RKK's team."""
    return f"19:{rkk}-general@thread.tacv2"


class World:
    """Seeds teams, rounds and answers through the real store, and runs the cross-post with doubles."""

    def __init__(self, store: SqlStore, texts: Catalog, now: datetime) -> None:
        self.store, self.texts, self.now = store, texts, now
        self.themes = ThemeStore(store.engine)
        self.connector = FakeConnector()
        self.publisher = TeamsThemePublisher(self.connector, texts)
        self.settings = CrossPostSettings(RecurrenceRule(5, 2, 8), "RKK Overkoepelend", "Rode draden")
        self._members = 0
        self._rounds = 0

    async def setup(self, umbrella: bool = True) -> None:
        """Install the bot in every RKK team (and in the umbrella team unless told otherwise)."""
        await self.store.sync_question_bank([("q1", "Hoe pakken jullie dit aan?")])
        for key, name in RKKS.items():
            await self.install(team_id(key), name, ())
            await self.store.upsert_rkk(key, name, team_id(key), team_id(key))
            await self.store.set_rkk_target(key, ChannelTarget(SERVICE_URL, TENANT, team_id(key), team_id(key)))
        if umbrella:
            await self.install(UMBRELLA_TEAM, "RKK Overkoepelend", ((UMBRELLA_CHANNEL, "Rode draden"),))

    async def install(self, team: str, name: str, channels: tuple[tuple[str, str], ...]) -> None:
        """Register an installation as Teams announces it."""
        installation = Installation(
            team, name, f"group-{name}", TENANT, SERVICE_URL, "28:rkkbot", ((team, "General"), *channels)
        )
        await self.store.register_installation(installation, self.now)

    async def answer(self, rkk: str, bestuur: str, week: str, text: str, member: Member | None = None) -> int:
        """Store a card answer in the RKK's round of that week (posting the round if needed)."""
        round_ = await self.store.round_for_week(rkk, week)
        if round_ is None:
            self._rounds += 1
            round_ = await posted_round(self.store, rkk, week, self.now, team_id(rkk), f"17{self._rounds:011d}")
        if member is None:
            self._members += 1
            member = Member(f"aad-m{self._members}", f"Lid {self._members}", None, bestuur)
        answer = (await self.store.save_card_answer(round_.id, member, text, self.now)).answer
        return answer.id

    async def seed(self, rows: list[tuple[str, str, str, str]]) -> list[int]:
        """Store (rkk, bestuur, week, text) answers; their ids."""
        return [await self.answer(rkk, bestuur, week, text) for rkk, bestuur, week, text in rows]

    async def hide(self, ids: Sequence[int], hidden: bool = True) -> None:
        """Hide answers as deleting their message does (or show them again, as restoring it does)."""
        async with self.store.engine.begin() as conn:
            await conn.execute(update(answers).where(answers.c.id.in_(list(ids))).values(hidden=hidden))

    def later(self, days: int) -> datetime:
        """A moment some days after `now`."""
        return self.now + timedelta(days=days)


@pytest.fixture
async def world(store: SqlStore, texts: Catalog, now: datetime) -> World:
    """A world with every RKK team and the umbrella team installed."""
    w = World(store, texts, now)
    await w.setup()
    return w
