"""`python app.py migrate-data --to postgresql+asyncpg://…`: every row of SQLite lands in an empty PostgreSQL.

The SQLite source is filled the way the bot fills it (teams, rounds, card answers, thread replies, a
harvest cursor, coordinators' controls and audit, themes cross-posted to the umbrella), then copied into a
PostgreSQL database of the test's own with the command as an operator types it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, select, text

import app
from i18n.catalog import load_catalog
from rkk.crosspost.publishing import crosspost_themes
from rkk.model import AuditEntry, Member
from rkk.store.admin_store import AdminStore
from rkk.store.answers import SqlReplySink
from rkk.store.engine import create_engine
from rkk.store.migrate import migrate
from rkk.store.rounds import SqlStore
from tests.databases import own_database
from tests.integration.crosspost.conftest import World
from tests.unit.crosspost.examples import LOCAL, MAGDA, NOISE, PHISHING

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def _fill(url: str) -> None:
    """What a few weeks of the bot leave in its database."""
    store = SqlStore(create_engine(url))
    world = World(store, load_catalog(), NOW)
    await migrate(store.engine)
    await world.setup()
    ids = await world.seed(MAGDA + PHISHING + LOCAL + NOISE)
    report = await crosspost_themes(world.themes, world.publisher, world.settings, NOW, holder="replica-a")
    assert report.posted  # themes, their answers and features, and cross-posts are in the database now
    round_ = await store.round_for_week("kempen", MAGDA[0][2])
    assert round_ is not None
    replies = SqlReplySink(store.engine, lambda: NOW)
    await replies.upsert_reply(round_.id, "1700000000001", "aad-r1", "Rik", "Gemeente Geel", "In de thread.", NOW, NOW)
    await replies.set_harvest_cursor(round_.id, "https://graph.microsoft.com/v1.0/next?$skiptoken=abc")
    entry = AuditEntry(NOW, "aad-kempen", "Kim", "pause", "kempen", "tot 1 juli", None)
    await AdminStore(store.engine).change_controls("kempen", entry, paused_until=NOW.date() + timedelta(days=30))
    assert ids
    await store.engine.dispose()


async def _rows(url: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (the migration bookkeeping aside), ordered by key, datetimes in UTC."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            metadata = MetaData()
            await conn.run_sync(metadata.reflect)
            tables: dict[str, list[dict[str, Any]]] = {}
            for table in metadata.sorted_tables:
                if table.name == "alembic_version":
                    continue
                order = list(table.primary_key.columns) or list(table.columns)
                result = await conn.execute(select(table).order_by(*order))
                tables[table.name] = [{k: _utc(v) for k, v in row._mapping.items()} for row in result]
            return tables
    finally:
        await engine.dispose()


def _utc(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


@pytest.fixture
def sqlite_source(tmp_path: Path) -> str:
    """A SQLite database the bot has used for a while."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'rkkbot.db'}"
    asyncio.run(_fill(url))
    return url


@pytest.fixture
def postgres_target(postgres_problem: str | None) -> Iterator[str]:
    """An empty PostgreSQL database, as an administrator creates it for the bot."""
    if postgres_problem:
        pytest.skip(postgres_problem)
    with own_database("rkk_move") as name:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"


def _migrate_data(source: str, target: str) -> int:
    return app.main(["migrate-data", "--to", target], env={"DATABASE_URL": source})


def test_every_table_arrives_with_the_same_number_of_rows(sqlite_source: str, postgres_target: str) -> None:
    """After the copy, each table of the source has as many rows in PostgreSQL, and the busy ones are not empty."""
    assert _migrate_data(sqlite_source, postgres_target) == 0
    before, after = asyncio.run(_rows(sqlite_source)), asyncio.run(_rows(postgres_target))
    assert {name: len(rows) for name, rows in after.items()} == {name: len(rows) for name, rows in before.items()}
    busy = ("teams", "rkks", "rounds", "members", "answers", "themes", "theme_answers", "theme_crossposts")
    assert all(after[name] for name in (*busy, "harvest_cursors", "rkk_controls", "audit_log"))


def test_every_row_arrives_equal_field_by_field(sqlite_source: str, postgres_target: str) -> None:
    """Each row reads back from PostgreSQL with the same values as from SQLite (timestamps in UTC)."""
    assert _migrate_data(sqlite_source, postgres_target) == 0
    before, after = asyncio.run(_rows(sqlite_source)), asyncio.run(_rows(postgres_target))
    for name, rows in before.items():
        assert after[name] == rows, name


def test_a_non_empty_target_is_refused_and_left_as_it_was(
    sqlite_source: str, postgres_target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second copy into the same database exits 2 naming the tables that hold rows, and adds nothing."""
    assert _migrate_data(sqlite_source, postgres_target) == 0
    copied = asyncio.run(_rows(postgres_target))
    capsys.readouterr()
    assert _migrate_data(sqlite_source, postgres_target) == 2
    error = capsys.readouterr().err
    assert "niet leeg" in error and "answers: " in error
    assert asyncio.run(_rows(postgres_target)) == copied


def test_the_bot_keeps_numbering_after_the_move(sqlite_source: str, postgres_target: str) -> None:
    """New rows in PostgreSQL get fresh ids after the copied ones (the sequences moved on with the copy)."""
    assert _migrate_data(sqlite_source, postgres_target) == 0

    async def answer_again() -> tuple[int, int]:
        store = SqlStore(create_engine(postgres_target))
        try:
            round_ = await store.round_for_week("kempen", MAGDA[0][2])
            assert round_ is not None
            member = Member("aad-new", "Nieuw Lid", None, "Gemeente Mol")
            answer = (await store.save_card_answer(round_.id, member, "Na de verhuis.", NOW)).answer
            async with store.engine.connect() as conn:
                top = await conn.execute(text("SELECT max(id) FROM answers WHERE id <> :id"), {"id": answer.id})
                return answer.id, int(top.scalar_one())
        finally:
            await store.engine.dispose()

    new_id, highest_copied = asyncio.run(answer_again())
    assert new_id > highest_copied
