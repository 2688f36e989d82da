"""End to end in the Agents Playground: a scoring round from the setup card to the results card.

The Playground has one team, "My Team": its General channel is the RKK, its Announcements channel
plays RKK Overkoepelend. Alex (the Playground's typing user) is a global coordinator; Megan shares
his bestuur (example.com); Adele's mail is at contoso.com, another bestuur. Card actions name the
user who presses (`from.id`), which is how Megan and Adele act.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from playground.launcher import Playground, missing_prerequisite, playground_config
from rkk.crosspost import ThemeStatus
from rkk.store.engine import create_engine
from rkk.store.migrate import migrate
from rkk.store.rounds import SqlStore
from tests.card_text import actions, elements, strings
from tests.e2e.app_process import ROOT, cli, says, serving, text_of
from tests.e2e.playground_client import BotFrame, PlaygroundClient
from tests.integration.test_theme_commands import store_themes, theme

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        missing_prerequisite() is not None, reason=f"Agents Playground unavailable: {missing_prerequisite()}"
    ),
]

ALEX, MEGAN, ADELE = "user-id-0", "user-id-1", "user-id-2"
ALEX_AAD = "00000000-0000-0000-0000-0000000000020"
CONFIG = f"""
timezone: Europe/Brussels
questions: {ROOT / "config" / "questions.yaml"}
coordinators: ["{ALEX_AAD}"]
rkks:
  - key: my-team
    name: RKK My Team
    team: My Team
overkoepelend:
  team: My Team
  channel: Announcements
domains:
  example.com: Gemeente Voorbeeld
  contoso.com: Gemeente Contoso
"""


def tenant() -> dict[str, Any]:
    """The Playground's tenant with Adele's mail at another bestuur's domain."""
    config = playground_config(ALEX)
    for user in config["users"]:
        if user["id"] == ADELE:
            user["email"] = user["userPrincipleName"] = "adelev@contoso.com"
    return config


async def _seed(url: str) -> None:
    """One rode draad stored before the bot starts (the weekly theme job would have found it)."""
    engine = create_engine(url)
    await migrate(engine)
    now = datetime.now(UTC)
    rode_draad = theme("t-magda", "MAGDA documentendienst", 3, 6, ("2026-W40", "2026-W47"), True)
    await store_themes(SqlStore(engine), now, [rode_draad], {"t-magda": ThemeStatus.CROSSPOSTED})
    await engine.dispose()


@pytest.fixture
def app_env(tmp_path: Path) -> dict[str, str]:
    """The configuration above on a fresh SQLite file with one rode draad."""
    config = tmp_path / "rkks.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    url = f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}"
    asyncio.run(_seed(url))
    return {**os.environ, "RKKBOT_CONFIG": str(config), "DATABASE_URL": url}


@pytest.fixture
def app_port(app_env: dict[str, str], tmp_path: Path) -> Iterator[int]:
    """`python app.py serve` with that configuration."""
    with serving(app_env, tmp_path / "app.log") as port:
        yield port


@pytest.fixture
async def teams(app_port: int) -> AsyncIterator[PlaygroundClient]:
    """The Playground with the contoso user, pointed at the app, the bot installed."""
    async with (
        Playground(bot_port=app_port, config=tenant()) as playground,
        PlaygroundClient(playground.base_url, timeout=20) as client,
    ):
        await client.install()
        await client.next_bot_message(lambda f: "Hallo" in text_of(f))
        yield client


def refreshed_for(frame: BotFrame) -> list[str]:
    """The users a card in a frame refreshes for automatically (refresh.userIds)."""
    return list(frame.cards[0].get("refresh", {}).get("userIds", [])) if frame.cards else []


def card_with(text: str) -> Any:
    """A frame predicate: a new message whose card shows `text`."""
    return lambda f: f.action == "createMessage" and bool(f.cards) and text in strings(f.cards[0])


async def press(teams: PlaygroundClient, frame: BotFrame, verb: str, data: dict[str, Any], who: str) -> Any:
    """Press a button on a card the bot posted, as `who`; the bot's answer (card or message)."""
    assert frame.message_id is not None
    return await teams.invoke(frame.thread_id, frame.message_id, data, verb=verb, from_id=who)


async def test_a_scoring_round_from_setup_to_results(teams: PlaygroundClient, app_env: dict[str, str]) -> None:
    """Start; two members of one bestuur (the second replaces the first, both see it); another bestuur; close."""
    config = await teams.config()
    general, announcements = config.general_channel_id, config.channels["Announcements"]

    await teams.send_message(general, "scoor rode draden", mention_bot=True)
    setup = await teams.next_bot_message(lambda f: bool(f.cards) and "scoring_start" in json.dumps(f.cards))
    start = actions(setup.cards[0], "scoring_start")[0]
    deadline = (datetime.now(UTC) + timedelta(days=14)).date().isoformat()
    inputs = {"t0": "true", "l0": "true", "m0label": "Cloudcontracten", "m0description": "Samen onderhandelen."}
    inputs |= {"m0local": "true", "deadlineDate": deadline, "deadlineTime": "17:00", "audience": "my-team"}
    started = await press(teams, setup, "scoring_start", start["data"] | inputs, ALEX)
    assert says(str(started["value"]), "Scoreronde 1 gestart: 2 onderwerpen", "Scoring round 1 started: 2 topics")

    ballot = await teams.next_bot_message(card_with("Scoor de rode draden"))
    assert ballot.conversation_id.startswith(general)
    ids = [e["id"] for e in elements(ballot.cards[0]) if e.get("type") == "Input.ChoiceSet"]
    assert len(ids) == 2
    base = {"scoringId": 1, "rkk": "my-team"}

    first = await press(teams, ballot, "score_submit", base | {ids[0]: "8", ids[1]: "3"}, ALEX)
    assert says(
        strings(first["value"]), "scores van Gemeente Voorbeeld zijn bewaard", "Gemeente Voorbeeld have been saved"
    )
    second = await press(teams, ballot, "score_submit", base | {ids[0]: "10", ids[1]: "-"}, MEGAN)
    assert says(strings(second["value"]), "vervangen die van Alex Wilber", "replace those of Alex Wilber")
    seen_by_alex = await press(teams, ballot, "score_refresh", base, ALEX)
    assert says(strings(seen_by_alex["value"]), "ingediend door Megan Bowen", "submitted by Megan Bowen")
    refreshed = await teams.next_bot_message(  # the ballot now refreshes automatically for both of them
        lambda f: f.message_id == ballot.message_id and {ALEX, MEGAN} <= set(refreshed_for(f))
    )
    assert refreshed.action == "updateMessage"

    other = await press(teams, ballot, "score_submit", base | {ids[0]: "2", ids[1]: "9"}, ADELE)
    assert says(strings(other["value"]), "scores van Gemeente Contoso zijn bewaard", "Gemeente Contoso have been saved")

    await teams.send_message(general, "scoring sluiten", mention_bot=True)
    confirm = await teams.next_bot_message(lambda f: bool(f.cards) and "scoring_close_confirm" in json.dumps(f.cards))
    closing = await press(teams, confirm, "scoring_close_confirm", {"scoringId": 1}, ALEX)
    assert says(str(closing["value"]), "Scoreronde 1 is afgesloten", "Scoring round 1 is closed")

    results = await teams.next_bot_message(card_with("Resultaten van de scoreronde"))
    assert results.conversation_id.startswith(announcements)
    card = results.cards[0]
    assert any(e.get("type") == "Chart.HorizontalBar.Stacked" for e in elements(card))
    assert "2 besturen gaven scores" in strings(card)
    closed = await teams.next_bot_message(
        lambda f: f.action == "updateMessage" and f.message_id == ballot.message_id and "Afgesloten" in strings(f.cards)
    )
    assert not [e for e in elements(closed.cards[0]) if e.get("type") == "Input.ChoiceSet"]

    late = await press(teams, ballot, "score_submit", base | {ids[0]: "1"}, ADELE)
    assert says(str(late["value"]), "afgesloten", "closed")
    numbers = json.loads(cli(app_env, "scoring", "results", "--json").stdout)
    assert numbers["participants"] == 2
    assert {t["label"]: t["scored"] for t in numbers["topics"]} == {"MAGDA documentendienst": 2, "Cloudcontracten": 1}
