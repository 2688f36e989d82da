"""PostgreSQL databases of a test's own: created on the test server, dropped afterwards whatever was done to them."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg

from tests.conftest import POSTGRES_URL

ADMIN_DSN = POSTGRES_URL.replace("postgresql+asyncpg://", "postgresql://", 1)


async def admin(*statements: str) -> None:
    """Run statements as the server's administrator, outside a transaction (CREATE DATABASE needs that)."""
    conn = await asyncpg.connect(ADMIN_DSN)
    try:
        for sql in statements:
            await conn.execute(sql)
    finally:
        await conn.close()


@contextmanager
def own_database(prefix: str) -> Iterator[str]:
    """A new, empty database; its name. Dropped at the end, even when closed to connections or still in use."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield name
    finally:
        asyncio.run(admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true', f'DROP DATABASE "{name}" WITH (FORCE)'))
