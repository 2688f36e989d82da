"""The name a coordinator gives a theme, written with its audit entry (part of ThemeStore)."""

from __future__ import annotations

import logging

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from rkk.model import AuditEntry
from rkk.store.admin_store import write_audit
from rkk.store.crosspost.tables import themes

logger = logging.getLogger(__name__)


class ThemeNameQueries:
    """Renaming a theme: the refresh never touches the name, so it stays as the theme grows."""

    _engine: AsyncEngine

    async def rename_theme(self, key: str, name: str, entry: AuditEntry) -> None:
        """Store the name a coordinator gave a theme, with its audit entry, in one transaction."""
        async with self._engine.begin() as conn:
            await conn.execute(update(themes).where(themes.c.key == key).values(name=name, updated_at=entry.at))
            await write_audit(conn, entry)
