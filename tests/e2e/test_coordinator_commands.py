"""End to end in the Agents Playground with a real config: a coordinator steers, a member is refused."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from playground.launcher import Playground, missing_prerequisite
from tests.card_text import actions, elements, strings
from tests.e2e.app_process import ROOT, cli, says, serving, text_of
from tests.e2e.playground_client import PlaygroundClient

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
    with serving(app_env, tmp_path / "app.log") as port:
        yield port


@pytest.fixture
async def teams(app_port: int) -> AsyncIterator[PlaygroundClient]:
    """The Playground pointed at the app, its WebSocket connected, the bot installed."""
    async with Playground(bot_port=app_port) as playground, PlaygroundClient(playground.base_url, timeout=20) as client:
        await client.install()
        await client.next_bot_message(lambda f: "Hallo" in text_of(f))
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
    assert says(str(result["value"]), "staat online", "is live")

    card = await teams.next_bot_message(lambda f: bool(f.cards) and question in strings(f.cards[0]))
    round_id = actions(card.cards, "answer")[0]["data"]["roundId"]
    assert card.message_id is not None
    await teams.invoke(
        card.thread_id, card.message_id, {"roundId": round_id, "answer": "Met een gedeelde planning."}, verb="answer"
    )

    await teams.send_message(general, "status", mention_bot=True)
    status = await teams.next_bot_message(lambda f: bool(f.cards) and "RKK My Team" in strings(f.cards[0]))
    assert says(strings(status.cards[0]), "Antwoorden: 1", "Answers: 1")

    megan = config.users[0]
    await teams.send_activity_as(megan.id, general, "post nu", mention_bot=True)
    refusal = await teams.next_bot_message(lambda f: says(text_of(f), "Alleen coördinatoren", "Only coordinators"))
    assert "post nu" in text_of(refusal)

    await teams.send_message(general, "verwijder mijn gegevens", mention_bot=True)
    confirm = await teams.next_bot_message(lambda f: bool(f.cards) and "delete_confirm" in str(f.cards))
    assert confirm.message_id is not None
    done = await teams.invoke(confirm.thread_id, confirm.message_id, {}, verb="delete_confirm")
    assert says(str(done["value"]), "1 antwoord en", "1 answer and")
    export = cli(app_env, "export", "--format", "csv")
    assert list(csv.DictReader(io.StringIO(export.stdout))) == []


async def test_coordinator_gets_the_report_card_and_the_operator_the_html_report(
    teams: PlaygroundClient, app_env: dict[str, str], tmp_path: Path
) -> None:
    """After one answer, `rapport` shows it in the chart (and its table), and `app.py report` writes the page."""
    config = await teams.config()
    general = config.general_channel_id
    await teams.send_message(general, "post nu", mention_bot=True)
    card = await teams.next_bot_message(lambda f: bool(f.cards) and bool(actions(f.cards, "answer")))
    assert card.message_id is not None
    round_id = actions(card.cards, "answer")[0]["data"]["roundId"]
    await teams.invoke(
        card.thread_id, card.message_id, {"roundId": round_id, "answer": "Wij testen maandelijks."}, verb="answer"
    )

    await teams.send_message(general, "rapport", mention_bot=True)
    report = await teams.next_bot_message(lambda f: bool(f.cards) and "RKK My Team" in strings(f.cards[0]))
    [line] = [e for e in elements(report.cards[0]) if e.get("type") == "Chart.Line"]
    answers = [point["y"] for point in line["data"][0]["values"]]
    assert answers[-1] == 1 and sum(answers) == 1
    assert line["fallback"]["type"] == "Table"

    out = tmp_path / "rapport.html"
    written = cli(app_env, "report", "--out", str(out))
    assert "Rapport geschreven naar" in written.stdout
    page = out.read_text(encoding="utf-8")
    assert "1 antwoord van 1 bestuur op 1 vraag in 1 RKK." in page
