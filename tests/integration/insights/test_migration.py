"""Migration 0012 (weekly digests) goes down to 0011 and up again on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, inspect

from rkk.store.migrate import MIGRATIONS
from rkk.store.rounds.sql_store import SqlStore


def _run(connection: Connection, action: str, revision: str) -> list[str]:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    getattr(command, action)(config, revision)
    return list(inspect(connection).get_table_names())


async def test_digest_table_goes_down_and_up(store: SqlStore) -> None:
    """Downgrading to 0006 drops insight_digests; upgrading creates it again."""
    async with store.engine.begin() as conn:
        assert "insight_digests" in await conn.run_sync(lambda c: list(inspect(c).get_table_names()))
        assert "insight_digests" not in await conn.run_sync(_run, "downgrade", "0011")
        assert "insight_digests" in await conn.run_sync(_run, "upgrade", "heads")
