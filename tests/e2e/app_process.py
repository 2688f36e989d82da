"""The real app as the end-to-end tests run it: a free port, `app.py serve` until healthy, the CLI."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.e2e.playground_client import BotFrame

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(env: dict[str, str], log: Path) -> Iterator[int]:
    """`python app.py serve` on a free port, healthy, until the block ends; its output goes to `log`."""
    port = free_port()
    with log.open("w") as out:
        command = [sys.executable, "app.py", "serve", "--host", "127.0.0.1", "--port", str(port)]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(port, process, log)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_healthy(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll /healthz until the app answers 200 (at most 20 s)."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"app exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"app not healthy:\n{log.read_text()}")


def tracked_snapshot() -> str:
    """A commit of the working tree's tracked files as they are now (HEAD when nothing changed); nothing untracked."""

    def git(*args: str) -> str:
        result = subprocess.run(["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True)
        return result.stdout.strip()

    return git("stash", "create") or git("rev-parse", "HEAD")


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`python app.py <args>` with this environment, its output captured."""
    return subprocess.run(
        [sys.executable, "app.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def text_of(frame: BotFrame) -> str:
    """A bot message's text ("" for a card without text)."""
    return frame.text or ""


def says(text: str, nl: str, en: str) -> bool:
    """Whether the text holds the phrase in Dutch or in English (the Playground's user has locale en-US)."""
    return nl in text or en in text
