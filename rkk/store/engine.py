"""Async engine creation: SQLite with WAL and foreign keys, or PostgreSQL through asyncpg.

On SQLite every `engine.begin()` (the stores' write transactions) starts as BEGIN IMMEDIATE: it
takes the write lock first, waiting up to the busy timeout. A deferred BEGIN that reads and then
writes cannot wait: when another process wrote meanwhile, SQLite refuses the lock upgrade at once
with "database is locked" (https://www.sqlite.org/isolation.html), so two commands started together
(or a command beside `serve`'s jobs) crashed. `engine.connect()` (reads) keeps a deferred BEGIN,
so a long read such as an export never holds up writers (WAL lets readers and one writer work at once).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

BUSY_TIMEOUT_SECONDS = 30
_WRITE = "rkk_write_transaction"  # execution option: this connection's transaction will write


class SqliteEngine(AsyncEngine):
    """An AsyncEngine whose `begin()` transactions begin as BEGIN IMMEDIATE (see the module docstring)."""

    __slots__ = ()

    @asynccontextmanager
    async def begin(self) -> AsyncIterator[AsyncConnection]:
        """A connection in a write transaction, committed at the end of the block (rolled back on error)."""
        async with self.connect() as conn:
            await conn.execution_options(**{_WRITE: True})
            async with conn.begin():
                yield conn


def create_engine(database_url: str) -> AsyncEngine:
    """An engine for the URL; for a SQLite file its folder is created and WAL switched on."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = SqliteEngine(create_async_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS}).sync_engine)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    return create_async_engine(url, pool_pre_ping=True)


def database_busy(error: BaseException) -> bool:
    """Whether SQLite gave up waiting for another process's write lock (after the busy timeout)."""
    return isinstance(error, OperationalError) and "database is locked" in str(error.orig)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers and one writer work at once; foreign keys are off in SQLite by default."""
    # The sqlite3 module's own transaction handling breaks SAVEPOINT; SQLAlchemy's documented
    # recipe is to switch it off here and emit BEGIN ourselves (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    """Start the transaction SQLAlchemy asked for (the driver no longer does it): IMMEDIATE for writes."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


def redact(database_url: str) -> str:
    """The URL with its password hidden, for logs and health output."""
    return make_url(database_url).render_as_string(hide_password=True)
