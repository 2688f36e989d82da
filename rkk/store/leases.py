"""Named leases in the database: one holder at a time, taken over once it expires (SQLite and PostgreSQL).

The table is `theme_leases` (migration 0003), named for the first lease it held: one replica at a
time refreshes the themes. The harvest takes its own lease there, so one replica harvests per interval.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import Column, DateTime, String, Table, delete, or_, update
from sqlalchemy.ext.asyncio import AsyncEngine

from rkk.store.rows import insert_once
from rkk.store.tables import metadata

logger = logging.getLogger(__name__)

theme_leases = Table(
    "theme_leases",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("holder", String(200), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)


class SqlLeases:
    """Take, renew and give back named leases; each call is one short transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def lease(self, name: str, holder: str, now: datetime, seconds: float) -> bool:
        """Take or renew a named lease; False while another holder has it."""
        until = now + timedelta(seconds=seconds)
        async with self._engine.begin() as conn:
            taken = await conn.execute(
                update(theme_leases)
                .where(
                    theme_leases.c.name == name,
                    or_(theme_leases.c.holder == holder, theme_leases.c.expires_at < now),
                )
                .values(holder=holder, expires_at=until)
            )
            if taken.rowcount == 1:
                return True
            return await insert_once(conn, theme_leases, name=name, holder=holder, expires_at=until)

    async def release(self, name: str, holder: str) -> None:
        """Give a lease back."""
        async with self._engine.begin() as conn:
            await conn.execute(delete(theme_leases).where(theme_leases.c.name == name, theme_leases.c.holder == holder))
