"""Shared fixtures: a migrated store on SQLite and on PostgreSQL, a fixed clock, the catalogue."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from i18n.catalog import Catalog, load_catalog
from rkk.store.engine import create_engine
from rkk.store.migrate import migrate
from rkk.store.rounds.sql_store import SqlStore

POSTGRES_URL = os.environ.get("RKKBOT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
ROOT = Path(__file__).resolve().parent.parent


def _postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used for tests here, or None if it can."""

    async def probe() -> None:
        engine = create_async_engine(POSTGRES_URL)
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        finally:
            await engine.dispose()

    try:
        asyncio.run(asyncio.wait_for(probe(), 5))
    except Exception as error:  # noqa: BLE001 - any failure means "no server to test against"
        return f"no PostgreSQL at {POSTGRES_URL} ({type(error).__name__}: {error})"
    return None


@pytest.fixture(scope="session")
def postgres_problem() -> str | None:
    """None when PostgreSQL is reachable; in CI an unreachable server fails instead of skipping."""
    problem = _postgres_problem()
    if problem and os.environ.get("CI"):
        pytest.fail(f"CI must run the PostgreSQL tests: {problem}")
    return problem


@pytest.fixture
def now() -> datetime:
    """Monday 23 November 2026, 10:00 in Brussels (ISO week 2026-W48)."""
    return datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def texts() -> Catalog:
    """The shipped message catalogue."""
    return load_catalog()


@pytest.fixture(params=["sqlite", "postgresql"])
async def store(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_problem: str | None
) -> AsyncIterator[SqlStore]:
    """A freshly migrated store; PostgreSQL tests get a schema of their own."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
        schema = None
    else:
        if postgres_problem:
            pytest.skip(postgres_problem)
        schema = f"t_{uuid.uuid4().hex[:12]}"
        admin = create_async_engine(POSTGRES_URL)
        async with admin.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        await admin.dispose()
        engine = create_async_engine(POSTGRES_URL, connect_args={"server_settings": {"search_path": schema}})
    await migrate(engine)
    yield SqlStore(engine)
    await engine.dispose()
    if schema:
        admin = create_async_engine(POSTGRES_URL)
        async with admin.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    """A database URL for a fresh SQLite file."""
    yield f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"
