"""`python app.py demo`: the newcomer's first command starts the bot and the Playground, and stops cleanly."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from playground.launcher import missing_prerequisite
from tests.e2e.app_process import ROOT, free_port

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        missing_prerequisite() is not None, reason=f"Agents Playground unavailable: {missing_prerequisite()}"
    ),
]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def test_demo_prints_the_playground_address_and_stops_it_on_sigterm(tmp_path: Path) -> None:
    """The demo prints a working Playground URL; SIGTERM stops the bot and the Playground with it."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}"}
    env.pop("RKKBOT_CONFIG", None)
    process = subprocess.Popen(
        [sys.executable, "app.py", "demo", "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    url = None
    deadline = time.monotonic() + 60
    while url is None and time.monotonic() < deadline:
        line = process.stdout.readline()
        match = re.search(r"Open de Microsoft 365 Agents Playground: (http://\S+)", line)
        url = match[1] if match else None
    try:
        assert url is not None, "the demo never printed the Playground's address"
        assert _answers(f"{url}/_debug/ping") and _answers(f"http://127.0.0.1:{port}/healthz")
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    assert not _answers(f"{url}/_debug/ping")
