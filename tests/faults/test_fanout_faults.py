"""Fault tests with real processes: a bot process fans out against the connector double process.

The bot is killed with SIGKILL at several points and restarted; Teams throttles (with and without
Retry-After), is unavailable or never answers; two replicas share one PostgreSQL database. After
each, every RKK has exactly one question card in the double, or its round is visibly uncertain.

A round is marked "sending" in the database just before its request's body is written, and the
body goes as soon as that commit is acknowledged. A kill between the database's commit and the
acknowledgement reaching the bot (the commit's round trip, milliseconds) leaves a round marked whose
request never left; these tests kill right after a request arrives, when the next marks are being
committed, so they meet that window far more often than a real crash would. Such a round is
*onzeker* like one whose request was cut off on the wire, and the bound below covers both.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from rkk.rounds.lifecycle import Phase, phase_of
from rkk.store.rounds.sql_store import SqlStore
from tests.conftest import POSTGRES_URL
from tests.faults.harness import Double, seeded, wait_until
from tests.faults.worker import engine_for

ROOT = Path(__file__).resolve().parents[2]
RKKS = 20


@pytest.fixture
def doubles() -> Iterator[list[Double]]:
    """Doubles started by a test, stopped afterwards."""
    started: list[Double] = []
    yield started
    for double in started:
        double.stop()


def worker(db: str, *args: str, schema: str | None = None) -> subprocess.Popen[str]:
    """Start one bot process doing one fan-out."""
    command = [sys.executable, "-m", "tests.faults.worker", "--db", db, *args]
    if schema:
        command += ["--schema", schema]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str], timeout: float = 120) -> dict[str, str]:
    """Wait for a worker and read its outcomes."""
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err[-3000:]
    outcomes: dict[str, str] = json.loads(out.strip().splitlines()[-1])
    return outcomes


def phases(db: str, schema: str | None = None, later: timedelta = timedelta(0)) -> dict[str, Phase]:
    """This week's phase per RKK, seen `later` from now."""

    async def run() -> dict[str, Phase]:
        store = SqlStore(engine_for(db, schema))
        now = datetime.now(UTC)
        found = {}
        for rkk in await store.list_rkks():
            round_ = await store.round_for_week(rkk.key, _week(now))
            facts = await store.round_facts(round_.id) if round_ else None
            if facts:
                found[rkk.key] = phase_of(facts, now + later)
        await store.engine.dispose()
        return found

    return asyncio.run(run())


def _week(now: datetime) -> str:
    from rkk.rounds.weeks import iso_week

    return iso_week(now)


KILL_POINTS = {"early": 1, "middle": RKKS // 2, "late": RKKS - 2}  # requests the double has seen at the kill
IN_FLIGHT = 3  # posts at a time: the fan-out takes seconds, so each kill point lands in a different place


@pytest.mark.parametrize("kill_at", list(KILL_POINTS))
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_sigkill_during_fan_out_then_restart_leaves_one_card_per_rkk(
    tmp_path: Path, doubles: list[Double], postgres_problem: str | None, database: str, kill_at: str
) -> None:
    """Killed early, mid-way or late: no duplicate; the restart posts every RKK except those on the wire (onzeker)."""
    double = Double("--delay", "0.4")  # every answer takes 0.4 s: the kill lands inside HTTP calls
    doubles.append(double)
    db, schema = _database(tmp_path, database, postgres_problem)
    try:
        seeded(db, double.url, RKKS, schema)
        first = worker(db, "--lease", "1", "--concurrency", str(IN_FLIGHT), schema=schema)
        wait_until(lambda: double.stats()["requests"] >= KILL_POINTS[kill_at], what=f"request {KILL_POINTS[kill_at]}")
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        time.sleep(1.2)  # the dead process's unsent claims have a 1 s lease
        outcomes = finish(worker(db, "--lease", "1", "--concurrency", str(IN_FLIGHT), schema=schema))
        cards = dict(zip([f"rkk-{i:03d}" for i in range(RKKS)], double.cards(RKKS), strict=True))
        now_phases = phases(db, schema)
        unfinished = {key for key, phase in now_phases.items() if phase is not Phase.POSTED}
        later = phases(db, schema, later=timedelta(minutes=20))
    finally:
        if schema:
            asyncio.run(_admin(f'DROP SCHEMA "{schema}" CASCADE'))
    assert max(cards.values()) == 1  # never a duplicate
    assert all(outcomes[key] == "in_progress" for key in unfinished)  # killed inside the call: not re-posted
    assert len(unfinished) <= IN_FLIGHT  # at most the requests that were going out at the kill are left
    assert all(cards[key] == 1 for key in cards if key not in unfinished)  # every other RKK has its card
    assert all(later[key] is Phase.UNCERTAIN for key in unfinished)  # shown as onzeker once 15 minutes passed


def _database(tmp_path: Path, kind: str, postgres_problem: str | None) -> tuple[str, str | None]:
    """A SQLite file, or a fresh schema on the test PostgreSQL server."""
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", None
    if postgres_problem:
        pytest.skip(postgres_problem)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE SCHEMA "{schema}"'))
    return POSTGRES_URL, schema


@pytest.mark.parametrize(
    "faults",
    [
        ("--throttle", "0.3", "--retry-after", "0.3"),
        ("--throttle", "0.3", "--no-retry-after"),
        ("--unavailable", "0.3"),
    ],
    ids=["429-retry-after", "429-no-retry-after", "503"],
)
def test_throttled_or_unavailable_teams_gets_every_card_once_and_no_retry_storm(
    tmp_path: Path, doubles: list[Double], faults: tuple[str, ...]
) -> None:
    """Every RKK posted once; no request over a limit, none before its Retry-After."""
    double = Double(*faults)
    doubles.append(double)
    db = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    seeded(db, double.url, RKKS)
    outcomes = finish(worker(db))
    stats = double.stats()
    assert set(outcomes.values()) == {"posted"}
    assert double.cards(RKKS) == [1] * RKKS
    assert (stats["violations"], stats["early_retries"]) == (0, 0)
    assert stats["throttled"] + stats["unavailable"] > 0


def test_timeouts_are_never_reposted_and_show_as_uncertain(tmp_path: Path, doubles: list[Double]) -> None:
    """Teams took the card but never answered: no second card, the round is uncertain, the others post."""
    double = Double("--timeout", "0.25", "--hang", "4")
    doubles.append(double)
    db = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    seeded(db, double.url, RKKS)
    outcomes = finish(worker(db, "--timeout", "1"))
    again = finish(worker(db, "--timeout", "1"))
    uncertain = {key for key, outcome in outcomes.items() if outcome == "rounds_post_uncertain"}
    assert uncertain, "the seeded double times out some requests"
    assert all(outcome in ("posted", "rounds_post_uncertain") for outcome in outcomes.values())
    assert double.cards(RKKS) == [1] * RKKS
    assert {key for key, outcome in again.items() if outcome == "uncertain"} == uncertain
    assert {key for key, phase in phases(db).items() if phase is Phase.UNCERTAIN} == uncertain
    notices = double.stats()["notices"]
    assert sum(notices.values()) >= len(uncertain)  # the coordinators were told in the channel


def test_two_replicas_on_postgresql_post_each_question_once(
    doubles: list[Double], postgres_problem: str | None
) -> None:
    """Two bot processes sharing PostgreSQL, started at the same moment: one card per RKK."""
    if postgres_problem:
        pytest.skip(postgres_problem)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE SCHEMA "{schema}"'))
    try:
        double = Double("--throttle", "0.1", "--retry-after", "0.2")
        doubles.append(double)
        seeded(POSTGRES_URL, double.url, 40, schema)
        replicas = [worker(POSTGRES_URL, "--concurrency", "20", schema=schema) for _ in range(2)]
        results = [finish(process) for process in replicas]
        assert double.cards(40) == [1] * 40
        posted = sum(1 for outcomes in results for outcome in outcomes.values() if outcome == "posted")
        assert posted == 40
        assert all(o in ("posted", "already_posted", "in_progress") for r in results for o in r.values())
    finally:
        asyncio.run(_admin(f'DROP SCHEMA "{schema}" CASCADE'))


async def _admin(statement: str) -> None:
    engine = create_async_engine(POSTGRES_URL)
    async with engine.begin() as conn:
        await conn.execute(text(statement))
    await engine.dispose()
