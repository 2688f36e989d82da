"""Fault tests with real processes: a bot process fans out against the connector double process.

The bot is killed with SIGKILL at several points and restarted; Teams throttles (with and without
Retry-After), is unavailable or never answers; two replicas share one PostgreSQL database. After
each, every RKK has exactly one question card in the double, or its round is visibly uncertain.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.outbound.retry import RetryPolicy
from rkk.rounds.lifecycle import Phase, phase_of
from rkk.rounds.posting import Decision, resolve_uncertain
from rkk.store.rounds.sql_store import SqlStore
from tests.conftest import POSTGRES_URL
from tests.faults.worker import channel_of, engine_for, seed, teams_publisher

ROOT = Path(__file__).resolve().parents[2]
RKKS = 20


class Double:
    """The connector double running in its own process."""

    def __init__(self, *args: str) -> None:
        command = [sys.executable, "-m", "tests.doubles.connector_double", "--port", "0", *args]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.port = int(self.process.stdout.readline().split()[1])
        self.url = f"http://127.0.0.1:{self.port}/"

    def stats(self) -> dict[str, Any]:
        """What the double counted."""
        with urllib.request.urlopen(f"{self.url}_double/stats", timeout=10) as response:
            stats: dict[str, Any] = json.load(response)
            return stats

    def stop(self) -> None:
        """Kill the double (by its own pid)."""
        self.process.kill()
        self.process.wait()


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


def seeded(db: str, url: str, schema: str | None = None, count: int = RKKS) -> None:
    """A migrated database with `count` RKKs whose channels live in the double."""

    async def run() -> None:
        store = SqlStore(engine_for(db, schema))
        await seed(store, count, url)
        await store.engine.dispose()

    asyncio.run(run())


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


def cards_per_channel(double: Double, count: int = RKKS) -> list[int]:
    """How many question cards each RKK channel got."""
    cards = double.stats()["cards"]
    return [cards.get(channel_of(index), 0) for index in range(count)]


def wait_until(check: Any, seconds: float = 30.0) -> None:
    """Poll until `check()` is true."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.01)


@pytest.mark.parametrize("kill_after_cards", [0, 7, RKKS])
def test_sigkill_during_fan_out_then_restart_leaves_one_card_per_rkk(
    tmp_path: Path, doubles: list[Double], kill_after_cards: int
) -> None:
    """Killed at the first request, mid-way, or after Teams took every card: a restart adds only what is missing."""
    double = Double("--delay", "0.4")  # every answer takes 0.4 s: the kill lands inside HTTP calls
    doubles.append(double)
    db = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    seeded(db, double.url)
    first = worker(db, "--lease", "1", "--concurrency", "6")
    wait_until(lambda: double.stats()["requests"] >= max(1, kill_after_cards))
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    time.sleep(1.2)  # the dead process's unsent claims have a 1 s lease
    outcomes = finish(worker(db, "--lease", "1", "--concurrency", "6"))
    cards = dict(zip([f"rkk-{i:03d}" for i in range(RKKS)], cards_per_channel(double), strict=True))
    assert max(cards.values()) == 1  # never a duplicate
    unfinished = {key: phase for key, phase in phases(db).items() if phase is not Phase.POSTED}
    assert all(outcomes[key] == "in_progress" for key in unfinished)  # killed inside the call: not re-posted
    assert {key for key, n in cards.items() if n == 0} <= set(unfinished)  # a missing card is never silent
    later = phases(db, later=timedelta(minutes=20))
    assert all(later[key] is Phase.UNCERTAIN for key in unfinished)
    # The coordinator looks in each uncertain RKK's channel and posts again where the card is missing.
    asyncio.run(_post_again(db, double.url, [key for key in unfinished if cards[key] == 0]))
    assert cards_per_channel(double) == [1] * RKKS


async def _post_again(db: str, url: str, keys: list[str]) -> None:
    """A coordinator's 'post anyway' for RKKs whose uncertain card is not in the channel."""
    store = SqlStore(engine_for(db, None))
    connector, publisher = teams_publisher(2.0, RetryPolicy(base=0.2))
    later = datetime.now(UTC) + timedelta(minutes=20)
    try:
        for key in keys:
            result = await resolve_uncertain(store, publisher, key, _week(later), Decision.POST_AGAIN, later)
            assert result is not None and result.outcome.value == "posted"
    finally:
        await connector.close()
        await store.engine.dispose()


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
    seeded(db, double.url)
    outcomes = finish(worker(db))
    stats = double.stats()
    assert set(outcomes.values()) == {"posted"}
    assert cards_per_channel(double) == [1] * RKKS
    assert (stats["violations"], stats["early_retries"]) == (0, 0)
    assert stats["throttled"] + stats["unavailable"] > 0


def test_timeouts_are_never_reposted_and_show_as_uncertain(tmp_path: Path, doubles: list[Double]) -> None:
    """Teams took the card but never answered: no second card, the round is uncertain, the others post."""
    double = Double("--timeout", "0.25", "--hang", "4")
    doubles.append(double)
    db = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    seeded(db, double.url)
    outcomes = finish(worker(db, "--timeout", "1"))
    again = finish(worker(db, "--timeout", "1"))
    uncertain = {key for key, outcome in outcomes.items() if outcome == "rounds_post_uncertain"}
    assert uncertain, "the seeded double times out some requests"
    assert all(outcome in ("posted", "rounds_post_uncertain") for outcome in outcomes.values())
    assert cards_per_channel(double) == [1] * RKKS
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
        seeded(POSTGRES_URL, double.url, schema, count=40)
        replicas = [worker(POSTGRES_URL, "--concurrency", "20", schema=schema) for _ in range(2)]
        results = [finish(process) for process in replicas]
        assert cards_per_channel(double, 40) == [1] * 40
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
