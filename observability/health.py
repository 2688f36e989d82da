"""Readiness (`GET /readyz`): the database answers, its schema is at the newest migration, the scheduler runs.

`/healthz` (in `bot/server.py`) only says that the process serves HTTP: a liveness probe that fails
while the database is down would restart every replica for nothing. `/readyz` is what a load balancer
or an orchestrator asks before it sends traffic, and what an operator reads: each check with its reason.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy.ext.asyncio import AsyncEngine

from rkk.store.migrate import head_revisions, schema_revisions

logger = logging.getLogger(__name__)

CHECK_SECONDS = 5.0  # a database that takes longer than this to answer SELECT counts as unreachable
OK = "ok"


class Readiness:
    """The checks behind /readyz; `scheduler` is set once the app's scheduler has started."""

    def __init__(self, engine: AsyncEngine, timeout: float = CHECK_SECONDS) -> None:
        self._engine = engine
        self._timeout = timeout
        self._last_failures: dict[str, str] = {}
        self.scheduler: BaseScheduler | None = None

    async def checks(self) -> dict[str, str]:
        """Each check's result: "ok" or why not."""
        result = {"database": OK, "migrations": OK, "scheduler": OK}
        try:
            async with asyncio.timeout(self._timeout):
                current = await schema_revisions(self._engine)
        except Exception as error:  # noqa: BLE001 - whatever the driver raises, the database is not usable
            result["database"] = f"unreachable ({type(error).__name__})"
            result["migrations"] = "unknown (database unreachable)"
            self._log_change("database", f"{type(error).__name__}: {error}")
        else:
            self._log_change("database", None)
            heads = head_revisions()
            if current != heads:
                at = ", ".join(sorted(current)) or "none"
                result["migrations"] = f"database at {at}, newest is {', '.join(sorted(heads))}"
        if self.scheduler is None or not self.scheduler.running:
            result["scheduler"] = "not running"
        return result

    async def readyz(self, _request: web.Request) -> web.Response:
        """200 when every check passes, else 503; the body names each check's state."""
        checks = await self.checks()
        ready = all(value == OK for value in checks.values())
        body = {"status": "ready" if ready else "not ready", "checks": checks}
        return web.json_response(body, status=200 if ready else 503)

    def _log_change(self, check: str, failure: str | None) -> None:
        """Log when a check starts or stops failing, not on every probe."""
        before = self._last_failures.get(check)
        if failure is None and before is not None:
            logger.info("readiness: %s is back", check)
            del self._last_failures[check]
        elif failure is not None and before is None:
            logger.warning("readiness: %s fails: %s", check, failure)
            self._last_failures[check] = failure
