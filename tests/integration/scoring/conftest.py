"""A world for the scoring tests: the cross-post world (RKK teams, RKK Overkoepelend) plus rode draden,
the scoring store on SQLite or PostgreSQL, and the Teams publisher over the connector double."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot.outbound.scoring_publisher import TeamsScoringPublisher
from i18n.catalog import Catalog
from rkk.crosspost import ThemeStatus
from rkk.rounds import DEFAULT_POLICY, Policy
from rkk.scoring import (
    Actor,
    PostKey,
    PostKind,
    Scoring,
    ScoringRound,
    ScoringSettings,
    StartRequest,
    Voter,
    start_scoring,
)
from rkk.store.admin_store import AdminStore
from rkk.store.rounds.sql_store import SqlStore
from rkk.store.scoring import ScoringStore
from tests.integration.crosspost.conftest import RKKS, World, team_id
from tests.integration.test_theme_commands import store_themes, theme

COORDINATOR = Actor("aad-global", "Griet Globaal", "a:griet")
THEMES = [
    theme("t-magda", "MAGDA documentendienst", 3, 6, ("2026-W40", "2026-W47"), True),
    theme("t-phish", "Phishing oefeningen", 2, 7, ("2026-W41", "2026-W47"), True),
    theme("t-archief", "Digitaal archiefbeheer", 2, 5, ("2026-W42", "2026-W46"), True),
    theme("t-nee", "Koffieautomaat", 2, 5, ("2026-W42", "2026-W46"), True),  # dismissed below
    theme("t-lokaal", "Lokale parkeerkaart", 1, 1, ("2026-W44", "2026-W44"), False),  # not a rode draad
]


class ScoringWorld(World):
    """The cross-post world with rode draden and a scoring round's parts around the real store."""

    def __init__(self, store: SqlStore, texts: Catalog, now: datetime) -> None:
        super().__init__(store, texts, now)
        self.scoring_store = ScoringStore(store.engine)
        self.admin = AdminStore(store.engine)
        self.scoring = self.replica("replica-a")

    def replica(self, owner: str, policy: Policy = DEFAULT_POLICY) -> Scoring:
        """The scoring parts as one process sees them (its own owner token, the same database)."""
        settings = ScoringSettings(umbrella_team="RKK Overkoepelend", umbrella_channel="Rode draden")
        publisher = TeamsScoringPublisher(self.connector, self.texts)  # type: ignore[arg-type]  # the double
        return Scoring(
            self.scoring_store, self.store, self.themes, publisher, self.admin, settings, replace(policy, owner=owner)
        )

    async def rode_draden(self) -> None:
        """Store the themes: three live rode draden, one dismissed, one that is not recurring."""
        await store_themes(self.store, self.now, THEMES, {"t-nee": ThemeStatus.DISMISSED})

    async def start(self, **request: Any) -> ScoringRound:
        """Start a round with the three live rode draden (or what `request` says), deadline in 14 days."""
        values: dict[str, Any] = {"theme_keys": ("t-magda", "t-phish", "t-archief")} | request
        return await start_scoring(self.scoring, StartRequest(**values), COORDINATOR, self.now)

    def ballots(self) -> dict[str, dict[str, Any]]:
        """RKK key -> the ballot card posted in its channel (the last one, should there be more)."""
        by_channel = {team_id(key): key for key in RKKS}
        return {
            by_channel[target.channel_id]: activity.attachments[0].content
            for target, activity in self.connector.threads
            if target.channel_id in by_channel
        }

    def posted_in(self, channel: str) -> list[dict[str, Any]]:
        """Every card posted as a new thread in one channel."""
        return [a.attachments[0].content for t, a in self.connector.threads if t.channel_id == channel]

    async def thread_of(self, round_: ScoringRound, rkk: str) -> str:
        """The conversation id of the ballot posted in an RKK's channel."""
        post = await self.scoring_store.get_post(PostKey(round_.id, PostKind.BALLOT, rkk))
        assert post is not None and post.conversation_id, f"no ballot in {rkk}"
        return post.conversation_id

    def later(self, days: float) -> datetime:
        """A moment some days after `now`."""
        return self.now + timedelta(days=days)


def voter(name: str, bestuur: str, teams_id: str | None = None) -> Voter:
    """A member submitting for a bestuur."""
    key = name.lower().replace(" ", "-")
    return Voter(f"aad-{key}", teams_id or f"29:{key}", name, bestuur)


def scores(round_: ScoringRound, *values: int | None) -> dict[str, object]:
    """Card inputs giving the round's topics these scores in order (None: left empty)."""
    given = zip(round_.topics, values, strict=False)
    return {f"s{topic.id}": "-" if value is None else str(value) for topic, value in given}


@pytest.fixture
async def world(store: SqlStore, texts: Catalog, now: datetime) -> ScoringWorld:
    """Every RKK team and RKK Overkoepelend installed, rode draden stored."""
    w = ScoringWorld(store, texts, now)
    await w.setup()
    await w.rode_draden()
    return w
