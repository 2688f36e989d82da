"""Bring a database to the newest schema with Alembic, safely from several replicas at once."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
_PG_LOCK = 7_202_611  # advisory lock id: serialises migrations of replicas sharing PostgreSQL


async def migrate(engine: AsyncEngine) -> None:
    """Run every pending migration; on PostgreSQL under an advisory lock."""
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_LOCK})
        await conn.run_sync(_upgrade)


async def schema_revisions(engine: AsyncEngine) -> frozenset[str]:
    """The revisions the database's schema is at (empty before the first migration)."""
    async with engine.connect() as conn:
        return await conn.run_sync(lambda sync: frozenset(MigrationContext.configure(sync).get_current_heads()))


@cache
def head_revisions() -> frozenset[str]:
    """The newest revisions of the migration scripts: what `migrate` brings a database to."""
    return frozenset(ScriptDirectory.from_config(_config()).get_heads())


def _upgrade(connection: Connection) -> None:
    """Alembic's upgrade to every head on an open connection."""
    config = _config()
    config.attributes["connection"] = connection
    command.upgrade(config, "heads")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config
