"""End to end in the Agents Playground with a real config: a coordinator steers, a member is refused."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from playground.launcher import Playground, missing_prerequisite
from tests.card_text import actions, strings
from tests.e2e.playground_client import PlaygroundClient
from tests.e2e.test_weekly_question import ROOT, _cli, _free_port, _says, _text, _wait_healthy

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        missing_prerequisite() is not None, reason=f"Agents Playground unavailable: {missing_prerequisite()}"
    ),
]

ALEX = "00000000-0000-0000-0000-0000000000020"  # the Playground's current user: coordinator here
CONFIG = f"""
timezone: Europe/Brussels
questions: {ROOT / "config" / "questions.yaml"}
rkks:
  - key: my-team
    name: RKK My Team
    team: My Team
    coordinators: ["{ALEX}"]
domains:
  example.com: Gemeente Voorbeeld
"""


@pytest.fixture
def app_env(tmp_path: Path) -> dict[str, str]:
    """A one-RKK configuration for the Playground's team on a fresh SQLite file."""
    config = tmp_path / "rkks.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    return {**os.environ, "RKKBOT_CONFIG": str(config), "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}"}


@pytest.fixture
def app_port(app_env: dict[str, str], tmp_path: Path) -> Iterator[int]:
    """`python app.py serve` with that configuration."""
    port = _free_port()
    with (tmp_path / "app.log").open("w") as log:
        command = [sys.executable, "app.py", "serve", "--host", "127.0.0.1", "--port", str(port)]
        process = subprocess.Popen(command, cwd=ROOT, env=app_env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(port, process, tmp_path / "app.log")
            yield port
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
async def teams(app_port: int) -> AsyncIterator[PlaygroundClient]:
    """The Playground pointed at the app, its WebSocket connected, the bot installed."""
    async with Playground(bot_port=app_port) as playground, PlaygroundClient(playground.base_url, timeout=20) as client:
        await client.install()
        await client.next_bot_message(lambda f: "Hallo" in _text(f))
        yield client


async def test_coordinator_queues_posts_and_checks_status_member_is_refused(
    teams: PlaygroundClient, app_env: dict[str, str]
) -> None:
    """Queue a question, post it from the queue, answer, status with the count, member refused, delete data."""
    config = await teams.config()
    general = config.general_channel_id
    question = "Hoe pakken jullie de opvolging van MAGDA-machtigingen aan?"

    await teams.send_message(general, f"vraag toevoegen {question}", mention_bot=True)
    added = await teams.next_bot_message(lambda f: bool(f.cards))
    assert question in strings(added.cards[0])

    await teams.send_message(general, "wachtrij", mention_bot=True)
    queue = await teams.next_bot_message(lambda f: bool(f.cards) and "queue_post" in str(f.cards))
    post = actions(queue.cards, "queue_post")[0]
    assert queue.message_id is not None
    result = await teams.invoke(queue.thread_id, queue.message_id, post["data"], verb="queue_post")
    assert _says(str(result["value"]), "staat online", "is live")

    card = await teams.next_bot_message(lambda f: bool(f.cards) and question in strings(f.cards[0]))
    round_id = actions(card.cards, "answer")[0]["data"]["roundId"]
    assert card.message_id is not None
    await teams.invoke(
        card.thread_id, card.message_id, {"roundId": round_id, "answer": "Met een gedeelde planning."}, verb="answer"
    )

    await teams.send_message(general, "status", mention_bot=True)
    status = await teams.next_bot_message(lambda f: bool(f.cards) and "RKK My Team" in strings(f.cards[0]))
    assert _says(strings(status.cards[0]), "Antwoorden: 1", "Answers: 1")

    megan = config.users[0]
    await teams.send_activity_as(megan.id, general, "post nu", mention_bot=True)
    refusal = await teams.next_bot_message(lambda f: _says(_text(f), "Alleen coördinatoren", "Only coordinators"))
    assert "post nu" in _text(refusal)

    await teams.send_message(general, "verwijder mijn gegevens", mention_bot=True)
    confirm = await teams.next_bot_message(lambda f: bool(f.cards) and "delete_confirm" in str(f.cards))
    assert confirm.message_id is not None
    done = await teams.invoke(confirm.thread_id, confirm.message_id, {}, verb="delete_confirm")
    assert _says(str(done["value"]), "1 antwoord en", "1 answer and")
    export = _cli(app_env, "export", "--format", "csv")
    assert list(csv.DictReader(io.StringIO(export.stdout))) == []
