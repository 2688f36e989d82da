"""`python app.py scoring ...` and `export --scores` as an operator runs them, against the Bot Connector double."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rkk.crosspost import ThemeStatus
from rkk.model import ChannelTarget, Installation
from rkk.scoring import Voter
from rkk.store.engine import create_engine
from rkk.store.migrate import migrate
from rkk.store.rounds.sql_store import SqlStore
from rkk.store.scoring import ScoringStore
from tests.faults.test_fanout_faults import Double
from tests.integration.scoring.conftest import THEMES
from tests.integration.test_theme_commands import store_themes

ROOT = Path(__file__).resolve().parents[3]
KEMPEN_TEAM = "19:kempen-general@thread.tacv2"
UMBRELLA_TEAM = "19:overkoepelend-general@thread.tacv2"
UMBRELLA_CHANNEL = "19:rode-draden@thread.tacv2"
CONFIG = f"""
timezone: Europe/Brussels
questions: {ROOT / "config" / "questions.yaml"}
rkks:
  - key: kempen
    name: RKK Kempen
    team: RKK Kempen
overkoepelend:
  team: RKK Overkoepelend
  channel: Rode draden
domains:
  geel.be: Gemeente Geel
"""


@pytest.fixture
def double() -> Iterator[Double]:
    """The Bot Connector double in its own process."""
    started = Double()
    yield started
    started.stop()


async def _seed(url: str, service_url: str) -> None:
    """Kempen and RKK Overkoepelend installed (reached through the double), rode draden stored."""
    engine = create_engine(url)
    await migrate(engine)
    store = SqlStore(engine)
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    for team, name, channels in (
        (KEMPEN_TEAM, "RKK Kempen", ((KEMPEN_TEAM, "General"),)),
        (UMBRELLA_TEAM, "RKK Overkoepelend", ((UMBRELLA_TEAM, "General"), (UMBRELLA_CHANNEL, "Rode draden"))),
    ):
        await store.register_installation(
            Installation(team, name, None, "tenant", service_url, "28:bot", channels), now
        )
    await store.upsert_rkk("kempen", "RKK Kempen", KEMPEN_TEAM, KEMPEN_TEAM)
    await store.set_rkk_target("kempen", ChannelTarget(service_url, "tenant", KEMPEN_TEAM, KEMPEN_TEAM))
    await store_themes(store, now, THEMES, {"t-nee": ThemeStatus.DISMISSED})
    await engine.dispose()


async def _score(url: str, bestuur: str, scores: list[int | None]) -> None:
    """A member's submission, as the ballot stores it."""
    engine = create_engine(url)
    store = ScoringStore(engine)
    round_ = await store.open_round()
    assert round_ is not None
    values = {topic.id: score for topic, score in zip(round_.topics, scores, strict=False)}
    voter = Voter(f"aad-{bestuur}", f"29:{bestuur}", f"Lid van {bestuur}", bestuur)
    await store.save_scores(round_.id, "kempen", voter, values, datetime.now(UTC))
    await engine.dispose()


@pytest.fixture
def env(tmp_path: Path, double: Double) -> dict[str, str]:
    """A config with Kempen and RKK Overkoepelend, a seeded SQLite database."""
    config = tmp_path / "rkks.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    asyncio.run(_seed(url, double.url))
    return {**os.environ, "RKKBOT_CONFIG": str(config), "DATABASE_URL": url}


def app(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`python app.py ...` with this environment."""
    return subprocess.run(
        [sys.executable, "app.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_an_operator_runs_a_round_from_the_command_line(env: dict[str, str], double: Double) -> None:
    """Start (ballot posted once), status, results as JSON, extend, close (results posted), export."""
    started = app(
        env, "scoring", "start", "--topic", "Cloud: Eén zin.", "--not-local", "t-phish", "--deadline", "14/12"
    )
    assert started.returncode == 0, started.stderr
    assert "Scoreronde 1 gestart: 4 onderwerpen, stembiljetten in 1 RKK's" in started.stdout
    assert double.stats()["cards"] == {KEMPEN_TEAM: 1}
    asyncio.run(_score(env["DATABASE_URL"], "Gemeente Geel", [9, 8, None, 2]))
    asyncio.run(_score(env["DATABASE_URL"], "Stad Mol", [7, 1, 10, None]))

    status = app(env, "scoring", "status")
    assert status.returncode == 0 and "RKK Kempen" in status.stdout and "2/2" in status.stdout

    numbers = json.loads(app(env, "scoring", "results", "--json").stdout)
    assert (numbers["state"], numbers["participants"], numbers["threshold"]) == ("open", 2, 0.6)
    first = numbers["topics"][0]
    assert (first["label"], first["high"], first["mean"], first["local_impact"]) == (
        "Phishing oefeningen",
        2,
        8.0,
        False,
    )
    assert not first["qualifies"]  # --not-local: high, but no lokale impact
    assert numbers["top"] == []  # the others: at most 1 of the 2 besturen high
    assert numbers["participation"] == [{"rkk": "kempen", "name": "RKK Kempen", "scored": 2, "known": 2}]

    extended = app(env, "scoring", "extend", "--until", "21/12 12:00")
    assert extended.returncode == 0 and "21-12-2026 12:00" in extended.stdout

    closed = app(env, "scoring", "close")
    assert closed.returncode == 0, closed.stderr
    assert double.stats()["cards"] == {KEMPEN_TEAM: 1, UMBRELLA_CHANNEL: 1}

    export = app(env, "export", "--scores", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(export.stdout)))
    assert len(rows) == 8 and {r["bestuur"] for r in rows} == {"Gemeente Geel", "Stad Mol"}
    assert [r["score"] for r in rows if r["bestuur"] == "Gemeente Geel"] == ["9", "8", "", "2"]
    jsonl = [json.loads(line) for line in app(env, "export", "--scores", "--format", "jsonl").stdout.splitlines()]
    assert jsonl[0]["theme_key"] == "t-phish" and jsonl[0]["scoring_id"] == 1


def test_the_table_marks_the_top_three_and_shows_participation(env: dict[str, str]) -> None:
    """`scoring results` without --json: a table with the top marked and participation per RKK."""
    app(env, "scoring", "start", "--rkk", "kempen")
    asyncio.run(_score(env["DATABASE_URL"], "Gemeente Geel", [9, 9, 9]))
    table = app(env, "scoring", "results").stdout
    assert "Tussenstand" in table and "Scoreronde 1: 1 besturen gaven scores; 3 onderwerp(en) in de top 3" in table
    assert "RKK Kempen  1/1" in table


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("scoring", "close"), "Er loopt geen scoreronde"),
        (("scoring", "extend", "--until", "21/12"), "Er loopt geen scoreronde"),
        (("scoring", "start", "--theme", "t-nee"), "bestaat niet meer"),
        (("scoring", "start", "--rkk", "nergens"), "De RKK 'nergens' ken ik niet"),
        (("scoring", "start", "--deadline", "morgen kwart over"), "Die deadline begrijp ik niet"),
    ],
)
def test_refusals_are_clear_and_exit_2(env: dict[str, str], args: tuple[str, ...], expected: str) -> None:
    """Nothing to close, a dismissed theme, an unknown RKK, an unreadable deadline: a Dutch line, exit 2."""
    result = app(env, *args)
    assert result.returncode == 2 and expected in result.stderr and "Traceback" not in result.stderr


def test_a_second_start_names_the_open_round(env: dict[str, str]) -> None:
    """One round at a time, from the command line too."""
    assert app(env, "scoring", "start").returncode == 0
    again = app(env, "scoring", "start")
    assert again.returncode == 2 and "Er loopt al een scoreronde, gestart door CLI (" in again.stderr
