"""Start the Microsoft 365 Agents Playground CLI as a subprocess, wait until it answers, stop it cleanly.

The CLI writes its log to a file (never to the console when stdout is not a terminal) and prints only
`Listening on PORT` on stdout, which is how the real port is learnt when port 0 (any free port) is asked.
Everything it writes goes to a temporary directory: it runs there, so nothing lands in the project.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import shutil
import signal
import tempfile
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

import aiohttp

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CLI_RELATIVE_PATH = Path("node_modules/.bin/agentsplayground")
SETUP_HINT = "run `make setup` in the project directory (it runs `npm ci` from package-lock.json)"
CHANNEL_ID = "msteams"
_LISTENING = re.compile(rb"Listening on (\d+)")
_STOP_GRACE_SECONDS = 5.0

# The Playground's built-in tenant (its default config file, version 0.1.1); ids are fixed by the CLI.
DEFAULT_USERS: tuple[dict[str, str], ...] = tuple(
    {
        "id": f"user-id-{index}",
        "name": f"{given} {surname}",
        "userPrincipleName": upn,  # sic: the Playground's schema spells it this way
        "aadObjectId": f"00000000-0000-0000-0000-00000000000{20 + index}",
        "givenName": given,
        "surname": surname,
        "email": email,
    }
    for index, (given, surname, upn, email) in enumerate(
        [
            ("Alex", "Wilber", "alexw@example.com", "alexw@example.com"),
            ("Megan", "Bowen", "meganb@example.com", "meganb@example.com"),
            ("Adele", "Vance", "adelev@example.com", "adelev@example.com"),
            ("Isaiah", "Langer", "isaiah@example.com", "isaiahl@example.com"),
            ("Patti", "Fernandez", "pattif@example.com", "pattif@example.com"),
            ("Lynne", "Robbins", "lynner@example.com", "lynner@example.com"),
        ]
    )
)


class PlaygroundError(RuntimeError):
    """The Playground could not be started or did not become ready."""


def cli_path(root: Path = PROJECT_ROOT) -> Path:
    """Where `npm ci` puts the Playground's CLI."""
    return root / CLI_RELATIVE_PATH


def missing_prerequisite(root: Path = PROJECT_ROOT) -> str | None:
    """Why the Playground cannot be started here (no node, no node_modules), or None if it can."""
    if shutil.which("node") is None:
        return "`node` is not on PATH: install Node.js 20 or later"
    if not cli_path(root).exists():
        return f"{cli_path(root)} is missing: {SETUP_HINT}"
    return None


def playground_config(current_user_id: str = "user-id-0") -> dict[str, Any]:
    """The Playground's built-in config file content, with the chosen user as the one who types messages."""
    by_id = {user["id"]: user for user in DEFAULT_USERS}
    if current_user_id not in by_id:
        raise ValueError(f"unknown Playground user {current_user_id!r}; known: {sorted(by_id)}")
    return {
        "version": "0.1.1",
        "tenantId": "00000000-0000-0000-0000-0000000000001",
        "bot": {"id": "00000000-0000-0000-0000-00000000000011", "name": "Test Bot"},
        "currentUser": dict(by_id[current_user_id]),
        "users": [dict(user) for user in DEFAULT_USERS if user["id"] != current_user_id],
        "personalChat": {"id": str(uuid.uuid4())},
        "groupChat": {"id": str(uuid.uuid4()), "name": "Group Chat"},
        "team": {
            "id": "team-id",
            "name": "My Team",
            "aadGroupId": "00000000-0000-0000-0000-000000000031",
            "channels": [{"id": "channel-announcements-id", "name": "Announcements"}],
        },
    }


class Playground:
    """The Playground CLI pointed at a bot on localhost; use `async with Playground(3978) as pg: pg.base_url`."""

    def __init__(
        self,
        bot_port: int,
        *,
        port: int = 0,
        config: Mapping[str, Any] | None = None,
        root: Path = PROJECT_ROOT,
        startup_timeout: float = 30.0,
    ) -> None:
        self.bot_endpoint = f"http://localhost:{bot_port}/api/messages"
        self._requested_port = port
        self._config = config
        self._root = root
        self._startup_timeout = startup_timeout
        self._process: asyncio.subprocess.Process | None = None
        self._workdir: Path | None = None
        self._drain: asyncio.Task[None] | None = None
        self._port: int | None = None
        self._stderr: IO[bytes] | None = None
        self.startup_seconds: float | None = None

    @property
    def port(self) -> int:
        """The port the Playground listens on (known once started)."""
        if self._port is None:
            raise PlaygroundError("the Playground is not running")
        return self._port

    @property
    def base_url(self) -> str:
        """The address to open in a browser, and the base of its HTTP API."""
        return f"http://localhost:{self.port}"

    @property
    def service_url(self) -> str:
        """The Bot Connector the bot is told to reply to (`serviceUrl` of every activity)."""
        return f"{self.base_url}/_connector"

    @property
    def log_path(self) -> Path | None:
        """The Playground's own log file (inside the temporary directory, gone after stop)."""
        return self._workdir / "playground.log" if self._workdir else None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    async def start(self) -> None:
        """Start the CLI and return once it answers HTTP; raises PlaygroundError with its output if it cannot."""
        problem = missing_prerequisite(self._root)
        if problem:
            raise PlaygroundError(f"cannot start the Agents Playground: {problem}")
        started = time.monotonic()
        self._workdir = Path(tempfile.mkdtemp(prefix="agentsplayground-"))
        self._stderr = (self._workdir / "stderr.txt").open("wb")
        try:
            self._process = await asyncio.create_subprocess_exec(
                str(cli_path(self._root)),
                *self._arguments(),
                cwd=self._workdir,
                env=self._environment(self._workdir),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=self._stderr,
                start_new_session=True,  # its own process group, so stop() reaches node and any child
            )
            async with asyncio.timeout(self._startup_timeout):
                self._port = await self._read_port()
                self._drain = asyncio.create_task(self._drain_stdout())
                await self._wait_until_ready()
        except BaseException as error:
            detail = self._failure_detail()
            await self.stop()
            if isinstance(error, TimeoutError):
                raise PlaygroundError(
                    f"the Agents Playground did not become ready within {self._startup_timeout:.0f} s{detail}"
                ) from error
            if isinstance(error, PlaygroundError):
                raise PlaygroundError(f"{error}{detail}") from error
            raise
        self.startup_seconds = time.monotonic() - started
        if self._requested_port and self._port != self._requested_port:
            logger.warning("port %d was taken; the Playground took %d instead", self._requested_port, self._port)
        logger.info("Agents Playground ready at %s after %.1f s", self.base_url, self.startup_seconds)

    async def stop(self) -> None:
        """Terminate the CLI's process group (TERM, then KILL after a grace period) and remove its files."""
        process, self._process = self._process, None
        if process is not None and process.returncode is None:
            _signal_group(process.pid, signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), _STOP_GRACE_SECONDS)
            except TimeoutError:
                logger.warning("the Agents Playground ignored SIGTERM; killing it")
                _signal_group(process.pid, signal.SIGKILL)
                await process.wait()
        if self._drain is not None:
            self._drain.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._drain
            self._drain = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None
        self._port = None

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the Playground's log, for error messages and failing tests."""
        path = self.log_path
        if path is None or not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def _arguments(self) -> list[str]:
        return [
            "--app-endpoint",
            self.bot_endpoint,
            "--channel-id",
            CHANNEL_ID,
            "--port",
            str(self._requested_port),  # 0 makes the CLI pick a free port itself, so there is no race
            "--disable-telemetry",
        ]

    def _environment(self, workdir: Path) -> dict[str, str]:
        bin_dir = workdir / "bin"
        bin_dir.mkdir()
        # Without a desktop the CLI's browser launch fails and it exits; a no-op xdg-open keeps it running.
        xdg_open = bin_dir / "xdg-open"
        xdg_open.write_text("#!/bin/sh\nexit 0\n")
        xdg_open.chmod(0o755)
        config_path = workdir / ".m365agentsplayground.yml"
        if self._config is not None:
            config_path.write_text(json.dumps(self._config, indent=2))  # JSON is valid YAML
        env = dict(os.environ)
        for name in ("M365_AGENTS_PLAYGROUND_ENABLE_EVENTS_RECORDING", "M365_AGENTS_PLAYGROUND_TARGET_SDK"):
            env.pop(name, None)
        no_proxy = ",".join(filter(None, [env.get("NO_PROXY") or env.get("no_proxy"), "localhost,127.0.0.1"]))
        env.update(
            PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
            TEAMSAPPTESTER_BROWSER="none",  # the CLI's own switch to skip opening a browser
            M365_AGENTS_PLAYGROUND_LOGFILE=str(workdir / "playground.log"),
            # Point both config lookups into the temporary directory: a missing file means the built-in tenant.
            M365_AGENTS_PLAYGROUND_CONFIG_PATH=str(config_path),
            TEAMS_APP_TEST_TOOL_CONFIG_PATH=str(workdir / ".teamsapptesttool.yml"),
            NO_PROXY=no_proxy,
            no_proxy=no_proxy,
        )
        return env

    async def _read_port(self) -> int:
        assert self._process is not None and self._process.stdout is not None
        while True:
            line = await self._process.stdout.readline()
            if not line:
                raise PlaygroundError(f"the Agents Playground exited with code {await self._process.wait()}")
            match = _LISTENING.search(line)
            if match:
                return int(match.group(1))

    async def _drain_stdout(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        while await self._process.stdout.readline():
            pass

    async def _wait_until_ready(self) -> None:
        # /_debug/ping answers at once; /_internal/v1/config would block until the bot answers.
        url = f"http://localhost:{self._port}/_debug/ping"
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
            while True:
                if self._process is None or self._process.returncode is not None:
                    raise PlaygroundError("the Agents Playground exited during start-up")
                with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                    async with session.get(url) as response:
                        if response.status == 200:
                            return
                await asyncio.sleep(0.1)

    def _failure_detail(self) -> str:
        parts = []
        if self._workdir is not None and (self._workdir / "stderr.txt").exists():
            stderr = (self._workdir / "stderr.txt").read_text(errors="replace").strip()
            if stderr:
                parts.append(f"stderr:\n{stderr[-2000:]}")
        log = self.log_tail()
        if log:
            parts.append(f"log:\n{log}")
        return (":\n" + "\n".join(parts)) if parts else ""


def _signal_group(pid: int, sig: signal.Signals) -> None:
    """Signal the process group led by pid; it may already be gone."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)
