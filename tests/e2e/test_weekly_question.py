"""End to end: the real app and the Agents Playground, driven like a Teams user over HTTP and WebSocket."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from playground.launcher import Playground, missing_prerequisite
from tests.card_text import strings
from tests.e2e.app_process import ROOT, cli, says, serving, text_of
from tests.e2e.playground_client import PlaygroundClient

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        missing_prerequisite() is not None, reason=f"Agents Playground unavailable: {missing_prerequisite()}"
    ),
]


@pytest.fixture
def app_env(tmp_path: Path) -> dict[str, str]:
    """The demo configuration on a fresh SQLite file."""
    return {
        **os.environ,
        "RKKBOT_CONFIG": str(ROOT / "config" / "demo.yaml"),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}",
    }


@pytest.fixture
def app_port(app_env: dict[str, str], tmp_path: Path) -> Iterator[int]:
    """`python app.py serve` running on a free port until the test ends."""
    with serving(app_env, tmp_path / "app.log") as port:
        yield port


@pytest.fixture
async def teams(app_port: int) -> AsyncIterator[PlaygroundClient]:
    """The Playground pointed at the app, with a client connected to its WebSocket."""
    async with Playground(bot_port=app_port) as playground, PlaygroundClient(playground.base_url, timeout=20) as client:
        yield client


async def test_weekly_question_round_trip_in_the_playground(teams: PlaygroundClient, app_env: dict[str, str]) -> None:
    """Install, `post nu`, answer through the card, answer again, second `post nu`, export: as a user sees it."""
    config = await teams.config()

    await teams.install()
    greeting = await teams.next_bot_message(lambda f: "Hallo" in text_of(f))
    assert f"Hallo {config.team_name}" in text_of(greeting)

    await teams.send_message(config.general_channel_id, "post nu", mention_bot=True)
    question = await teams.next_bot_message(lambda f: bool(f.cards))
    confirmation = await teams.next_bot_message(lambda f: says(text_of(f), "staat online", "is live"))
    card = question.cards[0]
    assert card["version"] == "1.5" and "Vraag van de week" in strings(card)
    assert question.thread_id.startswith(f"{config.general_channel_id};messageid=")
    assert "2026-W" in text_of(confirmation)
    [submit] = [a for a in card["actions"] if a.get("verb") == "answer"]
    round_id = submit["data"]["roundId"]
    assert question.message_id is not None

    first = await teams.invoke(
        question.thread_id,
        question.message_id,
        {"roundId": round_id, "answer": "Wij zijn live sinds maart."},
        verb="answer",
    )
    assert first["type"] == "application/vnd.microsoft.card.adaptive"
    shown = strings(first["value"])
    assert "Wij zijn live sinds maart." in shown and says(shown, "1 antwoord tot nu toe", "1 answer so far")
    assert [a["verb"] for a in first["value"]["actions"]] == ["edit"]

    second = await teams.invoke(
        question.thread_id,
        question.message_id,
        {"roundId": round_id, "answer": "Live sinds maart, via de intercommunale."},
        verb="answer",
    )
    shown = strings(second["value"])
    assert says(shown, "Je antwoord is aangepast", "Your answer has been updated")
    assert says(shown, "1 antwoord tot nu toe", "1 answer so far")

    empty = await teams.invoke(
        question.thread_id, question.message_id, {"roundId": round_id, "answer": "   "}, verb="answer"
    )
    assert says(strings(empty["value"]), "Je antwoord is leeg", "Your answer is empty")

    await teams.send_message(config.general_channel_id, "post now", mention_bot=True)
    already = await teams.next_bot_message(lambda f: says(text_of(f), "staat al online", "is already live"))
    assert "https://teams.microsoft.com/l/message/" in text_of(already)

    cli_post = cli(app_env, "post-now")
    assert cli_post.returncode == 0, cli_post.stderr
    assert "staat al online" in cli_post.stdout

    export = cli(app_env, "export", "--format", "csv")
    assert export.returncode == 0, export.stderr
    rows = list(csv.DictReader(io.StringIO(export.stdout)))
    assert [r["text"] for r in rows] == ["Live sinds maart, via de intercommunale."]
    assert rows[0]["member_name"] == config.current_user.name and rows[0]["rkk"] == "my-team"
    assert rows[0]["bestuur"] == "Gemeente Voorbeeld"


async def test_help_and_unknown_command_in_the_playground(teams: PlaygroundClient) -> None:
    """`help` shows the Dutch help card; an unknown command gets a hint, not silence."""
    config = await teams.config()
    await teams.install()
    await teams.next_bot_message(lambda f: "Hallo" in text_of(f))
    await teams.send_message(config.general_channel_id, "help", mention_bot=True)
    help_frame = await teams.next_bot_message(lambda f: bool(f.cards))
    assert "post nu" in strings(help_frame.cards[0])
    await teams.send_message(config.general_channel_id, "hlep", mention_bot=True)
    hint = await teams.next_bot_message(lambda f: says(text_of(f), "Bedoelde je", "Did you mean"))
    assert "**help**" in text_of(hint)
