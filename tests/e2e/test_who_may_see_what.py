"""Who may see what, in the Agents Playground, with a configuration as tenants write it.

Five people in the Playground's tenant: Adele is a member; Megan coordinates another RKK (Kempen, by
object id); Isaiah coordinates My Team by UPN (`ISAIAH@example.com`) while his mail is
isaiahl@example.com; Patti is a guest (UPN `patti.fernandez_brugge.be#EXT#@...`) coordinating My Team by
that UPN; Alex is a global coordinator. Each tries every command they may not use (typed in the
channel) and every card button as they may not press it: on the real queue card, on an old queue
card, and forged with another RKK or a made-up id. Every refusal must hold, show none of the stored
questions, answers or names, and leave a snapshot of every table unchanged. Then the UPN and guest
coordinators do steer, and a member's erasure leaves no trace of them in any table.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from playground.launcher import DEFAULT_USERS, Playground, missing_prerequisite, playground_config
from tests.card_text import actions, strings
from tests.e2e.app_process import ROOT, serving, text_of
from tests.e2e.playground_client import BotFrame, PlaygroundClient

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        missing_prerequisite() is not None, reason=f"Agents Playground unavailable: {missing_prerequisite()}"
    ),
]

ALEX, MEGAN, ADELE, ISAIAH, PATTI = (f"user-id-{index}" for index in range(5))
AAD = {user["id"]: user["aadObjectId"] for user in DEFAULT_USERS}
GUEST_UPN = "patti.fernandez_brugge.be#EXT#@example.onmicrosoft.com"
CONFIG = f"""
timezone: Europe/Brussels
questions: {ROOT / "config" / "questions.yaml"}
coordinators: ["{AAD[ALEX]}"]
rkks:
  - key: my-team
    name: RKK My Team
    team: My Team
    coordinators: ["ISAIAH@example.com", "{GUEST_UPN.upper()}"]
  - key: kempen
    name: RKK Kempen
    team: RKK Kempen
    coordinators: ["{AAD[MEGAN]}"]
domains:
  example.com: Gemeente Voorbeeld
  brugge.be: Stad Brugge
"""
QUESTIONS = ("Hoe pakken jullie de opvolging van MAGDA-machtigingen aan?", "Wie test bij jullie de restores?")
ANSWER = "Wij plannen elke maand een hersteltest met de leverancier."
COORDINATOR_COMMANDS = (
    "post nu",
    "status",
    "vraag toevoegen Welke vraag stellen we nooit?",
    "wachtrij",
    "overslaan",
    "pauze tot 1 juli",
    "hervat",
    "schema dinsdag 9:30",
    "audit",
    "thema's",
    "doorsturen",
    "export",
)
REFUSALS = (
    "Alleen coördinatoren",
    "Only coordinators",
    "Alleen globale",
    "Only global",
    "Alleen de coördinatoren",
    "Only the coordinators",
    "hoort niet bij",
    "does not belong",
)


def _tenant() -> dict[str, Any]:
    """The Playground's tenant with Alex typing, and Patti a guest from Brugge."""
    config = playground_config(ALEX)
    for user in config["users"]:
        if user["id"] == PATTI:
            user.update(userPrincipleName=GUEST_UPN, email="patti.fernandez@brugge.be")
    return config


@dataclass
class World:
    """The running app, its database and the Playground client."""

    teams: PlaygroundClient
    database: Path

    def snapshot(self) -> dict[str, list[str]]:
        """Every row of every table (read from the app's SQLite file)."""
        with sqlite3.connect(self.database) as conn:
            names = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {name: sorted(map(repr, conn.execute(f'SELECT * FROM "{name}"'))) for name in names}


@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """`python app.py serve` with the five-person configuration on a fresh SQLite file."""
    config = tmp_path / "rkks.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    database = tmp_path / "e2e.db"
    env = {
        **os.environ,
        "RKKBOT_CONFIG": str(config),
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "RKKBOT_COMMANDS_PER_MINUTE": "1000",  # the matrix types dozens of commands a minute per person
    }
    with serving(env, tmp_path / "app.log") as port:
        yield port, database


@pytest.fixture
async def world(app: tuple[int, Path]) -> AsyncIterator[World]:
    """The Playground with that tenant, the bot installed."""
    port, database = app
    async with (
        Playground(bot_port=port, config=_tenant()) as playground,
        PlaygroundClient(playground.base_url, timeout=20) as client,
    ):
        await client.install()
        await client.next_bot_message(lambda f: "Hallo" in text_of(f))
        yield World(client, database)


def _visible(frame_or_value: Any) -> str:
    if isinstance(frame_or_value, BotFrame):
        return text_of(frame_or_value) + "\n" + "\n".join(strings(card) for card in frame_or_value.cards)
    return json.dumps(frame_or_value, ensure_ascii=False)


async def _type(world: World, user: str, text: str) -> str:
    """A person types a command to the bot in My Team's General channel; what the bot shows them."""
    config = await world.teams.config()
    await world.teams.send_activity_as(user, config.general_channel_id, text, mention_bot=True)
    return _visible(await world.teams.next_bot_message())


async def _press(world: World, user: str, card: BotFrame, verb: str, data: dict[str, Any]) -> str:
    """A person presses a button (real or forged) on a card the bot posted; what the button answers."""
    assert card.message_id is not None
    answer = await world.teams.invoke(card.thread_id, card.message_id, data, verb=verb, from_id=user)
    return _visible(answer.get("value"))


def _refused(shown: str, secrets: tuple[str, ...]) -> None:
    assert any(phrase in shown for phrase in REFUSALS), shown
    leaked = [secret for secret in secrets if secret in shown]
    assert not leaked, f"a refusal showed {leaked}: {shown}"


async def test_every_refusal_holds_shows_nothing_and_changes_no_table(world: World) -> None:
    """51 attempts by five people who may not: all refused, nothing shown, every table unchanged."""
    teams = world.teams
    for question in QUESTIONS:
        await _type(world, ALEX, f"vraag toevoegen {question}")
    config = await teams.config()
    await teams.send_activity_as(ALEX, config.general_channel_id, "wachtrij", mention_bot=True)
    queue = await teams.next_bot_message(lambda f: bool(f.cards) and "queue_up" in str(f.cards))
    buttons = {a["data"]["questionId"]: a["data"] for a in actions(queue.cards, "queue_remove")}
    first_id, second_id = sorted(buttons)
    await teams.send_activity_as(ALEX, config.general_channel_id, "post nu", mention_bot=True)
    card = await teams.next_bot_message(lambda f: bool(f.cards) and QUESTIONS[0] in strings(f.cards[0]))
    await teams.next_bot_message(lambda f: "live" in text_of(f) or "online" in text_of(f))
    round_id = actions(card.cards, "answer")[0]["data"]["roundId"]
    await _press(world, ADELE, card, "answer", {"roundId": round_id, "answer": ANSWER})
    secrets = (*QUESTIONS, ANSWER, "Adele Vance", "Alex Wilber")

    with sqlite3.connect(world.database) as conn:
        [(week,)] = conn.execute("SELECT week FROM rounds").fetchall()
    forged = [
        ("queue_remove", queue, {"questionId": second_id, "rkk": "my-team"}, {ADELE, MEGAN}),  # the real card
        ("queue_up", queue, {"questionId": first_id, "rkk": "my-team"}, {ADELE, MEGAN}),  # old: already asked
        ("queue_up", queue, {"questionId": 987654, "rkk": "my-team"}, {ADELE, MEGAN}),  # made-up id
        ("queue_remove", queue, {"questionId": second_id, "rkk": "kempen"}, {ADELE, MEGAN, ISAIAH, PATTI, ALEX}),
        ("choose_rkk", queue, {"command": "post_now", "args": "", "rkk": "kempen"}, {ADELE, ISAIAH, PATTI}),
        ("uncertain_post", queue, {"rkk": "kempen", "week": week}, {ADELE, ISAIAH, PATTI}),
        ("theme_plan", queue, {"themeId": "made-up"}, {ADELE, MEGAN, ISAIAH, PATTI, ALEX}),
        ("answer", card, {"roundId": 987654, "answer": "x"}, {ADELE, MEGAN, ISAIAH, PATTI, ALEX}),
    ]
    any_coordinator = ("thema's", "export")  # Megan coordinates Kempen: these are hers to use
    typed = {
        ADELE: COORDINATOR_COMMANDS,
        MEGAN: tuple(c for c in COORDINATOR_COMMANDS if c not in any_coordinator),
        ISAIAH: ("audit",),
        PATTI: ("audit",),
    }
    attempts = 0
    before, seen = world.snapshot(), len(teams.frames)
    for user, commands in typed.items():
        for command in commands:
            _refused(await _type(world, user, command), secrets)
            assert world.snapshot() == before, f"{user} typing {command!r} changed the store"
            attempts += 1
    for verb, on, data, refused_for in forged:
        for user in sorted(refused_for):
            _refused(await _press(world, user, on, verb, data), secrets)
            assert world.snapshot() == before, f"{user} pressing {verb} {data} changed the store"
            attempts += 1
    assert attempts == sum(map(len, typed.values())) + sum(len(who) for *_, who in forged) == 51
    late = [frame for frame in teams.frames[seen:] if any(secret in _visible(frame) for secret in secrets)]
    assert late == [], "a refusal posted stored data in the chat"


async def test_coordinators_named_by_upn_and_guest_upn_do_steer(world: World) -> None:
    """Isaiah (UPN differs from mail) sees and uses the queue; Patti (guest) gets the status."""
    teams = world.teams
    await _type(world, ALEX, f"vraag toevoegen {QUESTIONS[0]}")
    queue_text = await _type(world, ISAIAH, "wachtrij")
    assert QUESTIONS[0] in queue_text and "RKK My Team" in queue_text
    queue = teams.frames[-1]
    [remove] = actions(queue.cards, "queue_remove")
    answer = await _press(world, ISAIAH, queue, "queue_remove", remove["data"])
    assert "Alleen" not in answer and "Only" not in answer
    assert "RKK My Team" in await _type(world, PATTI, "status")


async def test_erasure_leaves_no_trace_of_the_member_in_any_table(world: World) -> None:
    """After Adele answers and erases her data, no table holds her object id, name or mail."""
    teams = world.teams
    config = await teams.config()
    await teams.send_activity_as(ALEX, config.general_channel_id, "post nu", mention_bot=True)
    card = await teams.next_bot_message(lambda f: bool(f.cards) and bool(actions(f.cards, "answer")))
    round_id = actions(card.cards, "answer")[0]["data"]["roundId"]
    await _press(world, ADELE, card, "answer", {"roundId": round_id, "answer": ANSWER})
    await teams.send_activity_as(ADELE, config.general_channel_id, "verwijder mijn gegevens", mention_bot=True)
    confirm = await teams.next_bot_message(lambda f: bool(f.cards) and "delete_confirm" in str(f.cards))
    assert "1" in await _press(world, ADELE, confirm, "delete_confirm", {})
    stored = json.dumps(world.snapshot(), ensure_ascii=False).casefold()
    adele = config.user(ADELE)
    for trace in (adele.aad_object_id, adele.name, adele.email, ANSWER):
        assert trace.casefold() not in stored, f"{trace!r} is still stored"
