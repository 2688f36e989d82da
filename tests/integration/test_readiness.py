"""/readyz: the running app says whether it can serve, with a reason per check; /healthz stays up regardless."""

from __future__ import annotations

import asyncio
import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from aiohttp.web import Application
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from observability.health import Readiness
from rkk.store.engine import create_engine
from tests.databases import admin, own_database
from tests.e2e.app_process import ROOT, serving


def _get(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return int(response.status), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def database(postgres_problem: str | None) -> Iterator[str]:
    """A PostgreSQL database of the test's own, which the test can close to connections and open again."""
    if postgres_problem:
        pytest.skip(postgres_problem)
    with own_database("rkk_ready") as name:
        yield name


@pytest.fixture
def app_port(database: str, tmp_path: Path) -> Iterator[int]:
    """`python app.py serve` on that database with the demo config."""
    env = {
        **os.environ,
        "RKKBOT_CONFIG": str(ROOT / "config" / "demo.yaml"),
        "DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{database}",
    }
    with serving(env, tmp_path / "app.log") as port:
        yield port


def test_readyz_is_503_while_the_database_is_down_and_200_when_it_is_back(app_port: int, database: str) -> None:
    """Closing the database to connections makes /readyz 503 naming the database; reopening it makes it 200."""
    url = f"http://127.0.0.1:{app_port}/readyz"
    assert _get(url) == (200, {"status": "ready", "checks": {"database": "ok", "migrations": "ok", "scheduler": "ok"}})

    asyncio.run(
        admin(
            f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false',
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'",
        )
    )
    status, body = _get(url)
    assert status == 503 and body["status"] == "not ready"
    assert body["checks"]["database"].startswith("unreachable") and body["checks"]["scheduler"] == "ok"
    assert _get(f"http://127.0.0.1:{app_port}/healthz")[0] == 200  # liveness: no restart for a database outage

    asyncio.run(admin(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true'))
    deadline = time.monotonic() + 30
    while (status := _get(url)[0]) != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert status == 200


@pytest.fixture
async def unmigrated(tmp_path: Path) -> AsyncIterator[TestClient[Any, Application]]:
    """/readyz of a Readiness on a SQLite file no migration has touched, without a scheduler."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    app = Application()
    app.router.add_get("/readyz", Readiness(engine).readyz)
    async with TestClient(TestServer(app)) as client:
        yield client
    await engine.dispose()


async def test_readyz_names_a_schema_behind_the_migrations_and_a_stopped_scheduler(
    unmigrated: TestClient[Any, Application],
) -> None:
    """A database without the migrations and a scheduler not running give 503 with both reasons."""
    response = await unmigrated.get("/readyz")
    body = await response.json()
    assert response.status == 503
    assert body["checks"]["migrations"].startswith("database at none, newest is ")
    assert body["checks"]["scheduler"] == "not running" and body["checks"]["database"] == "ok"


async def test_readyz_counts_a_started_scheduler_as_running(tmp_path: Path) -> None:
    """Once the scheduler runs, the scheduler check passes; after its shutdown it fails again."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    readiness = Readiness(engine)
    readiness.scheduler = AsyncIOScheduler()
    readiness.scheduler.start()
    assert (await readiness.checks())["scheduler"] == "ok"
    readiness.scheduler.shutdown(wait=False)
    assert (await readiness.checks())["scheduler"] == "not running"
    await engine.dispose()
