"""What an operator sees of a Playground flow: /metrics counts the answer and the post; the logs hold no secret.

The app runs as in production: PostgreSQL (a database of its own, reached with a password in the URL),
JSON logs, /metrics behind a bearer token. One flow (install, `post nu`, an answer in the card) feeds
every test of this module.
"""

from __future__ import annotations

import asyncio
import json
import os
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from prometheus_client.parser import text_string_to_metric_families

from playground.launcher import Playground, missing_prerequisite
from tests.databases import own_database
from tests.e2e.app_process import ROOT, serving
from tests.e2e.flows import post_and_answer
from tests.e2e.playground_client import PlaygroundClient

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        missing_prerequisite() is not None, reason=f"Agents Playground unavailable: {missing_prerequisite()}"
    ),
]

ANSWER = "Onze gemeente draait de back-up van het DMS elke nacht naar een tweede site (operations-test)."
DB_PASSWORD = f"db-{uuid.uuid4().hex}"
METRICS_TOKEN = f"metrics-{uuid.uuid4().hex}"
APP_PASSWORD = f"app-{uuid.uuid4().hex}"


@dataclass(frozen=True)
class Observed:
    """What the operator has after the flow: the /metrics text, its answer without a token, and the log."""

    metrics: str
    status_without_token: int
    log: str


@pytest.fixture(scope="module")
def observed(tmp_path_factory: pytest.TempPathFactory, postgres_problem: str | None) -> Iterator[Observed]:
    """Run the app on its own PostgreSQL database, do the flow in the Playground, read /metrics, stop the app."""
    if postgres_problem:
        pytest.skip(postgres_problem)
    with own_database("rkk_ops") as database:
        yield _observe(database, tmp_path_factory)


def _observe(database: str, tmp_path_factory: pytest.TempPathFactory) -> Observed:
    """Serve the app on that database as in production, run the flow, read /metrics with and without the token."""
    env = {
        **os.environ,
        "RKKBOT_CONFIG": str(ROOT / "config" / "demo.yaml"),
        "DATABASE_URL": f"postgresql+asyncpg://postgres:{DB_PASSWORD}@127.0.0.1:5432/{database}",
        "RKKBOT_LOG_FORMAT": "json",
        "RKKBOT_LOG_LEVEL": "INFO",
        "RKKBOT_METRICS_TOKEN": METRICS_TOKEN,
        "MicrosoftAppPassword": APP_PASSWORD,  # no app id: unused, but it must never be written anywhere
    }
    log = tmp_path_factory.mktemp("operations") / "app.log"
    with serving(env, log) as port:
        asyncio.run(_flow(port))
        metrics = _get(f"http://127.0.0.1:{port}/metrics", {"Authorization": f"Bearer {METRICS_TOKEN}"})
        status_without_token = _status(f"http://127.0.0.1:{port}/metrics")
    return Observed(metrics, status_without_token, log.read_text(encoding="utf-8"))


async def _flow(port: int) -> None:
    async with Playground(bot_port=port) as playground, PlaygroundClient(playground.base_url, timeout=20) as teams:
        await post_and_answer(teams, ANSWER)


def _get(url: str, headers: dict[str, str]) -> str:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as response:
        return str(response.read().decode("utf-8"))


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def _sample(metrics: str, name: str, **labels: str) -> float:
    """The value of one series in a Prometheus text exposition (0 when it is absent)."""
    for family in text_string_to_metric_families(metrics):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0


def test_metrics_count_the_card_answer(observed: Observed) -> None:
    """After one answer in the card, /metrics shows one card answer added."""
    assert _sample(observed.metrics, "rkkbot_answers_stored_total", source="card", change="added") == 1


def test_metrics_count_the_question_posted(observed: Observed) -> None:
    """After `post nu`, /metrics shows the question's thread sent to Teams and none failed."""
    assert _sample(observed.metrics, "rkkbot_posts_total", kind="thread", outcome="sent") == 1
    assert _sample(observed.metrics, "rkkbot_posts_total", kind="thread", outcome="failed") == 0


def test_metrics_count_the_activities_by_type_and_status(observed: Observed) -> None:
    """The card action arrived as an invoke answered 200, the typed command as a message."""
    assert _sample(observed.metrics, "rkkbot_activities_received_total", type="invoke", outcome="200") >= 1
    assert _sample(observed.metrics, "rkkbot_activities_received_total", type="message") >= 1


def test_metrics_need_the_token(observed: Observed) -> None:
    """Without the bearer token /metrics answers 401."""
    assert observed.status_without_token == 401


def test_every_log_line_is_one_json_object(observed: Observed) -> None:
    """With RKKBOT_LOG_FORMAT=json the log is one JSON object a line, each with time, level and message."""
    lines = observed.log.splitlines()
    assert lines
    for line in lines:
        entry = json.loads(line)
        assert {"time", "level", "logger", "message"} <= entry.keys(), line


def test_log_lines_of_an_activity_carry_its_ids_and_rkk(observed: Observed) -> None:
    """The lines logged while serving the card answer name its activity, conversation and RKK."""
    entries = [json.loads(line) for line in observed.log.splitlines()]
    served = [e for e in entries if e["logger"] == "aiohttp.access" and "POST /api/messages" in e["message"]]
    assert served and all("activity_id" in e and "conversation_id" in e for e in served)
    assert any(e.get("rkk") for e in served)


def test_logs_hold_no_answer_text_and_no_secret(observed: Observed) -> None:
    """Neither the member's answer nor the database password, the metrics token or the app password is logged."""
    for secret in (ANSWER, DB_PASSWORD, METRICS_TOKEN, APP_PASSWORD):
        assert secret not in observed.log
    assert "back-up van het DMS" not in observed.log  # not even a part of the answer
