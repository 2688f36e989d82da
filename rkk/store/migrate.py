"""Bring a database to the newest schema with Alembic, safely from several replicas at once."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
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


def _upgrade(connection: Connection) -> None:
    """Alembic's upgrade to every head on an open connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "heads")
