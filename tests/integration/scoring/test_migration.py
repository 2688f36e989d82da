"""Migration 0010 runs down to 0009 and up again on SQLite and PostgreSQL; the scripts have one head."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from rkk.store.migrate import MIGRATIONS
from rkk.store.rounds.sql_store import SqlStore

SCORING_TABLES = {
    "scoring_rounds",
    "scoring_audience",
    "scoring_topics",
    "scoring_posts",
    "score_submissions",
    "score_values",
    "score_sets",
    "scoring_viewers",
}


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def test_the_migration_scripts_have_one_head() -> None:
    """One line of revisions: every migration has exactly one head."""
    scripts = ScriptDirectory.from_config(_config())
    assert len(scripts.get_heads()) == 1


async def test_the_scoring_migration_goes_down_and_up_again(store: SqlStore) -> None:
    """Downgrading removes exactly the scoring tables; upgrading brings them back."""
    async with store.engine.begin() as conn:
        before = await conn.run_sync(_tables)
        await conn.run_sync(lambda c: command.downgrade(_config(c), "0009"))
        down = await conn.run_sync(_tables)
        await conn.run_sync(lambda c: command.upgrade(_config(c), "heads"))
        up = await conn.run_sync(_tables)
    assert before >= SCORING_TABLES
    assert before - down >= SCORING_TABLES and "themes" in down  # later revisions go down with it
    assert up == before
