"""End to end: the real app and the Agents Playground, driven like a Teams user over HTTP and WebSocket."""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from playground.launcher import Playground, missing_prerequisite
from tests.card_text import strings
from tests.e2e.playground_client import BotFrame, PlaygroundClient

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        missing_prerequisite() is not None, reason=f"Agents Playground unavailable: {missing_prerequisite()}"
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
    port = _free_port()
    log = (tmp_path / "app.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "app.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=app_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_healthy(port, process, tmp_path / "app.log")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def _wait_healthy(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll /healthz until the app answers 200 (at most 20 s)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"app exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"app not healthy:\n{log.read_text()}")


@pytest.fixture
async def teams(app_port: int) -> AsyncIterator[PlaygroundClient]:
    """The Playground pointed at the app, with a client connected to its WebSocket."""
    async with Playground(bot_port=app_port) as playground, PlaygroundClient(playground.base_url, timeout=20) as client:
        yield client


def _text(frame: BotFrame) -> str:
    return frame.text or ""


def _says(text: str, nl: str, en: str) -> bool:
    """Whether the text holds the phrase in Dutch or in English (the Playground's user has locale en-US)."""
    return nl in text or en in text


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "app.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


async def test_weekly_question_round_trip_in_the_playground(teams: PlaygroundClient, app_env: dict[str, str]) -> None:
    """Install, `post nu`, answer through the card, answer again, second `post nu`, export: as a user sees it."""
    config = await teams.config()

    await teams.install()
    greeting = await teams.next_bot_message(lambda f: "Hallo" in _text(f))
    assert f"Hallo {config.team_name}" in _text(greeting)

    await teams.send_message(config.general_channel_id, "post nu", mention_bot=True)
    question = await teams.next_bot_message(lambda f: bool(f.cards))
    confirmation = await teams.next_bot_message(lambda f: _says(_text(f), "staat online", "is live"))
    card = question.cards[0]
    assert card["version"] == "1.5" and "Vraag van de week" in strings(card)
    assert question.thread_id.startswith(f"{config.general_channel_id};messageid=")
    assert "2026-W" in _text(confirmation)
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
    assert "Wij zijn live sinds maart." in shown and _says(shown, "1 antwoord tot nu toe", "1 answer so far")
    assert [a["verb"] for a in first["value"]["actions"]] == ["edit"]

    second = await teams.invoke(
        question.thread_id,
        question.message_id,
        {"roundId": round_id, "answer": "Live sinds maart, via de intercommunale."},
        verb="answer",
    )
    shown = strings(second["value"])
    assert _says(shown, "Je antwoord is aangepast", "Your answer has been updated")
    assert _says(shown, "1 antwoord tot nu toe", "1 answer so far")

    empty = await teams.invoke(
        question.thread_id, question.message_id, {"roundId": round_id, "answer": "   "}, verb="answer"
    )
    assert _says(strings(empty["value"]), "Je antwoord is leeg", "Your answer is empty")

    await teams.send_message(config.general_channel_id, "post now", mention_bot=True)
    already = await teams.next_bot_message(lambda f: _says(_text(f), "staat al online", "is already live"))
    assert "https://teams.microsoft.com/l/message/" in _text(already)

    cli_post = _cli(app_env, "post-now")
    assert cli_post.returncode == 0, cli_post.stderr
    assert "staat al online" in cli_post.stdout

    export = _cli(app_env, "export", "--format", "csv")
    assert export.returncode == 0, export.stderr
    rows = list(csv.DictReader(io.StringIO(export.stdout)))
    assert [r["text"] for r in rows] == ["Live sinds maart, via de intercommunale."]
    assert rows[0]["member_name"] == config.current_user.name and rows[0]["rkk"] == "my-team"
    assert rows[0]["bestuur"] == "Gemeente Voorbeeld"


async def test_help_and_unknown_command_in_the_playground(teams: PlaygroundClient) -> None:
    """`help` shows the Dutch help card; an unknown command gets a hint, not silence."""
    config = await teams.config()
    await teams.install()
    await teams.next_bot_message(lambda f: "Hallo" in _text(f))
    await teams.send_message(config.general_channel_id, "help", mention_bot=True)
    help_frame = await teams.next_bot_message(lambda f: bool(f.cards))
    assert "post nu" in strings(help_frame.cards[0])
    await teams.send_message(config.general_channel_id, "hlep", mention_bot=True)
    hint = await teams.next_bot_message(lambda f: _says(_text(f), "Bedoelde je", "Did you mean"))
    assert "**help**" in _text(hint)
