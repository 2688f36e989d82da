"""Telling "the database cannot be reached or is busy" apart from a fault in the bot's own code.

The HTTP edge answers the first with 503 (Teams and operators may try again later) and the second
with a logged traceback; a request's own content never causes either.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

logger = logging.getLogger(__name__)


def database_unavailable(error: BaseException) -> bool:
    """Whether the error (or what caused it) means the database is down, unreachable or locked."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OperationalError | InterfaceError | PoolTimeout):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, OSError) and _from_driver(current):
            return True
        if type(current).__module__.startswith("asyncpg.exceptions") and "Connection" in type(current).__name__:
            return True
        current = current.__cause__ or current.__context__
    return False


def _from_driver(error: BaseException) -> bool:
    """A socket error raised inside a database driver: asyncpg's failed connect reaches us unwrapped, and an
    OSError from the Bot Connector must not count (msrest wraps those, but be sure by the raising frame)."""
    frames = error.__traceback__
    while frames is not None:
        module = frames.tb_frame.f_globals.get("__name__", "")
        if module.startswith(("asyncpg", "aiosqlite", "sqlalchemy")):
            return True
        frames = frames.tb_next
    return False
