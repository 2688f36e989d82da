"""Real processes for the fault tests: the connector double, `python app.py serve`, and what they left behind.

Every wait is for an event (a line printed, a count reached, a process gone) with a generous deadline:
the machine is shared, so nothing may depend on how fast it is.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from config.rkk_config import WEEKDAYS
from rkk.store.rounds.sql_store import SqlStore
from rkk.store.tables import rounds
from rkk.store.timestamps import as_utc_or_none
from tests.conftest import POSTGRES_URL
from tests.faults.worker import channel_of, engine_for, seed

ROOT = Path(__file__).resolve().parents[2]
PATIENCE = 120.0  # seconds any one wait may take on a loaded machine before the test fails


def wait_until(check: Callable[[], object], seconds: float = PATIENCE, what: str = "condition") -> None:
    """Poll until `check()` is true."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


class Double:
    """The connector double running in its own process."""

    def __init__(self, *args: str) -> None:
        command = [sys.executable, "-m", "tests.doubles.connector_double", "--port", "0", *args]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.port = int(self.process.stdout.readline().split()[1])
        self.url = f"http://127.0.0.1:{self.port}/"

    def stats(self) -> dict[str, Any]:
        """What the double counted."""
        with urllib.request.urlopen(f"{self.url}_double/stats", timeout=30) as response:
            stats: dict[str, Any] = json.load(response)
            return stats

    def set_faults(self, **faults: float) -> None:
        """Change the double's faults while it runs."""
        body = json.dumps(faults).encode()
        request = urllib.request.Request(f"{self.url}_double/faults", body, {"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=30).close()

    def cards(self, count: int) -> list[int]:
        """How many question cards each of the first `count` RKK channels got."""
        cards = self.stats()["cards"]
        return [cards.get(channel_of(index), 0) for index in range(count)]

    def stop(self) -> None:
        """Kill the double (by its own pid)."""
        self.process.kill()
        self.process.wait()


@contextmanager
def postgres_database() -> Iterator[str]:
    """A database of its own on the test server (a `serve` process cannot be given a schema), dropped after."""
    name = f"rkk_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin(f'DROP DATABASE "{name}" WITH (FORCE)'))


async def _admin(statement: str) -> None:
    engine = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(statement))
    await engine.dispose()


def seeded(db: str, url: str, count: int, schema: str | None = None) -> None:
    """A migrated database with `count` RKKs whose channels live in the double."""

    async def run() -> None:
        store = SqlStore(engine_for(db, schema))
        await seed(store, count, url)
        await store.engine.dispose()

    asyncio.run(run())


def serve_config(folder: Path, count: int) -> Path:
    """A config whose `count` RKKs (as `seed` made them) open today at 00:00: `serve` catches them up at start."""
    today = datetime.now(ZoneInfo("Europe/Brussels")).weekday()
    lines = [
        "timezone: Europe/Brussels",
        f"schedule: {{weekday: {WEEKDAYS[today]}, time: '00:00', close_weekday: zondag, close_time: '23:59'}}",
        "rkks:",
    ]
    for index in range(count):
        channel = channel_of(index)
        lines += [f"  - key: rkk-{index:03d}", f"    name: RKK {index:03d}", f"    team: '{channel}'"]
        lines += [f"    channel: '{channel}'"]
    shutil.copy(ROOT / "config" / "questions.yaml", folder / "questions.yaml")
    config = folder / "rkks.yaml"
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def free_port() -> int:
    """A port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def app_env(db: str, config: Path) -> dict[str, str]:
    """The environment of an `app.py` process: this database and config, no Graph, no inbound authentication."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "Microsoft", "IDENTITY_", "MSI_"))}
    return {**keep, "DATABASE_URL": db, "RKKBOT_CONFIG": str(config), "RKKBOT_LOG_LEVEL": "INFO"}


class Serve:
    """`python app.py serve` on a free port; its output goes to a file (a full pipe would stall it)."""

    def __init__(self, db: str, config: Path, log: Path, *, go: Path | None = None) -> None:
        self.port = free_port()
        self.log = log
        launcher = ["app.py"] if go is None else ["-m", "tests.faults.at_instant", str(go)]
        command = [sys.executable, *launcher, "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        self._out: IO[str] = log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=app_env(db, config), stdout=self._out, stderr=subprocess.STDOUT, text=True
        )

    def healthy(self) -> bool:
        """True once /healthz answers 200."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5) as response:
                return response.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def post_activity(self) -> tuple[int, str | None]:
        """POST a message activity to /api/messages: the status and the Retry-After header."""
        body = json.dumps({"type": "message", "text": "help", "channelId": "msteams"}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/messages", body, {"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.headers.get("Retry-After")
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Retry-After")
        except (OSError, urllib.error.URLError):
            return 0, None  # not listening (any more)

    def signal(self, signum: signal.Signals) -> None:
        """Send a signal to the process (by its own pid)."""
        os.kill(self.process.pid, signum)

    def wait(self, seconds: float = PATIENCE) -> int:
        """Wait for the process to end; its exit status."""
        code = self.process.wait(timeout=seconds)
        self._out.close()
        return code

    def output(self) -> str:
        """Everything the process wrote."""
        return self.log.read_text(encoding="utf-8")

    def kill(self) -> None:
        """Make sure the process is gone."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._out.close()


@dataclass(frozen=True)
class RoundRow:
    """What the database holds of one RKK's round this week."""

    state: str
    message_id: str | None
    sending: bool
    lease_until: datetime | None
    uncertain: bool


def round_rows(db: str, schema: str | None = None) -> dict[str, RoundRow]:
    """Every round by RKK key."""

    async def run() -> dict[str, RoundRow]:
        engine = engine_for(db, schema)
        async with engine.connect() as conn:
            rows = (await conn.execute(select(rounds))).all()
        await engine.dispose()
        return {
            row.rkk_key: RoundRow(
                row.state,
                row.message_id,
                row.sending_at is not None,
                as_utc_or_none(row.lease_until),
                row.uncertain_at is not None,
            )
            for row in rows
        }

    return asyncio.run(run())


def command_at_go(go: Path, db: str, config: Path, *args: str) -> subprocess.Popen[str]:
    """An `app.py` command that starts when `go` appears (see tests/faults/at_instant.py)."""
    command = [sys.executable, "-m", "tests.faults.at_instant", str(go), *args]
    return subprocess.Popen(
        command, cwd=ROOT, env=app_env(db, config), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def release_when_ready(go: Path, processes: int) -> None:
    """Wait until `processes` processes said they are ready, then let them all go at once."""
    wait_until(lambda: len(list(go.parent.glob(f"{go.name}.ready.*"))) >= processes, what="the processes to start")
    go.touch()
