"""A small Chrome DevTools Protocol client over aiohttp's WebSocket, driving Debian's headless Chromium.

It starts Chromium with a fresh profile and `--remote-debugging-port=0`, reads the port Chromium chose
from `DevToolsActivePort`, attaches to a new page and records what the page did: network requests,
console messages, uncaught exceptions and log entries.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from reports.pdf import HEADLESS_FLAGS, chromium

START_SECONDS = 30.0
CALL_SECONDS = 60.0


@dataclass
class PageLog:
    """What a page did while it loaded."""

    requests: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)  # (type, text)
    exceptions: list[str] = field(default_factory=list)
    log: list[tuple[str, str]] = field(default_factory=list)  # (level, text)

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and error log entries."""
        return (
            [text for kind, text in self.console if kind in ("error", "assert")]
            + self.exceptions
            + [text for level, text in self.log if level == "error"]
        )


class Page:
    """One page in the browser, reached through a flattened DevTools session."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self._socket = socket
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._loaded = asyncio.Event()
        self._session: str | None = None
        self.log = PageLog()
        self._reader = asyncio.create_task(self._read())

    async def call(self, method: str, session: bool = True, **params: Any) -> dict[str, Any]:
        """Send one command and wait for its result."""
        number = next(self._ids)
        message: dict[str, Any] = {"id": number, "method": method, "params": params}
        if session and self._session:
            message["sessionId"] = self._session
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[number] = future
        await self._socket.send_str(json.dumps(message))
        return await asyncio.wait_for(future, CALL_SECONDS)

    async def open(self, url: str, width: int, height: int) -> None:
        """Attach to a new blank page, start recording, load `url` and wait for its load event."""
        target = await self.call("Target.createTarget", session=False, url="about:blank")
        attached = await self.call("Target.attachToTarget", session=False, targetId=target["targetId"], flatten=True)
        self._session = attached["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            await self.call(f"{domain}.enable")
        await self.call(
            "Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False
        )
        self._loaded.clear()
        await self.call("Page.navigate", url=url)
        await asyncio.wait_for(self._loaded.wait(), CALL_SECONDS)

    async def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression in the page."""
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def screenshot(self) -> bytes:
        """A PNG of the whole page, beyond the viewport."""
        shot = await self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        return base64.b64decode(shot["data"])

    async def _read(self) -> None:
        async for message in self._socket:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            data = json.loads(message.data)
            if "id" in data and data["id"] in self._pending:
                future = self._pending.pop(data["id"])
                if "error" in data:
                    future.set_exception(AssertionError(f"DevTools error: {data['error']}"))
                else:
                    future.set_result(data.get("result", {}))
            else:
                self._event(data.get("method", ""), data.get("params", {}))

    def _event(self, method: str, params: dict[str, Any]) -> None:
        if method == "Network.requestWillBeSent":
            self.log.requests.append(params["request"]["url"])
        elif method == "Runtime.consoleAPICalled":
            text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", []))
            self.log.console.append((params.get("type", ""), text))
        elif method == "Runtime.exceptionThrown":
            self.log.exceptions.append(json.dumps(params.get("exceptionDetails", {}))[:500])
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            self.log.log.append((entry.get("level", ""), entry.get("text", "")))
        elif method == "Page.loadEventFired":
            self._loaded.set()

    async def close(self) -> None:
        """Stop reading."""
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader


@contextlib.asynccontextmanager
async def browser() -> AsyncIterator[Page]:
    """Debian's Chromium, headless with a fresh profile, and one page in it; closed afterwards."""
    binary = chromium()
    assert binary is not None, "chromium is not installed (make browser)"
    # Chromium's helper processes may still be writing the profile for a moment after it exits.
    with tempfile.TemporaryDirectory(prefix="rkk-chromium-", ignore_cleanup_errors=True) as profile:
        process = await asyncio.create_subprocess_exec(
            binary,
            *HEADLESS_FLAGS,
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            "about:blank",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            port, path = await _devtools_address(Path(profile) / "DevToolsActivePort", process)
            async with (
                aiohttp.ClientSession() as http,
                http.ws_connect(f"ws://127.0.0.1:{port}{path}", max_msg_size=0) as socket,
            ):
                page = Page(socket)
                try:
                    yield page
                finally:
                    with contextlib.suppress(AssertionError, TimeoutError, ConnectionError):
                        await page.call("Browser.close", session=False)
                    await page.close()
        finally:
            if process.returncode is None:
                process.terminate()
                try:
                    await asyncio.wait_for(process.wait(), 10)
                except TimeoutError:
                    process.kill()
                    await process.wait()


def _lines(file: Path) -> list[str]:
    return file.read_text(encoding="utf-8").splitlines() if file.exists() else []


async def _devtools_address(file: Path, process: asyncio.subprocess.Process) -> tuple[int, str]:
    """The port and browser path Chromium writes once it listens."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.returncode is not None:
            raise AssertionError(f"chromium exited with status {process.returncode}")
        lines = await asyncio.to_thread(_lines, file)
        if len(lines) >= 2:
            return int(lines[0]), lines[1]
        await asyncio.sleep(0.1)
    raise AssertionError(f"chromium did not open its DevTools port within {START_SECONDS} s")
