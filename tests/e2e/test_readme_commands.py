"""The README's commands, run exactly as written and in order, in a fresh clone, as a newcomer would.

The clone holds only what git tracks (the working tree's tracked changes included, through `git stash
create`), so no virtual environment, `node_modules`, database or config left on this machine can help.
`make demo` creates everything itself, so this test takes minutes: pip and npm install into the clone.
"""

from __future__ import annotations

import asyncio
import os
import queue
import re
import shlex
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from playground.launcher import missing_prerequisite
from tests.e2e.app_process import ROOT, tracked_snapshot
from tests.e2e.flows import post_and_answer
from tests.e2e.playground_client import PlaygroundClient

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.timeout(1800),
    pytest.mark.skipif(
        missing_prerequisite() is not None, reason=f"Agents Playground unavailable: {missing_prerequisite()}"
    ),
]

README = (ROOT / "README.md").read_text(encoding="utf-8")
DEMO_PORTS = (3978, 56150)  # the bot and the Playground, as `make demo` starts them
ANSWER = "Wij testen onze back-ups elk kwartaal met een hersteloefening (README-test)."
# What a newcomer's shell does not have: the settings of this test run and of the machine's CI.
FOREIGN = ("DATABASE_URL", "GRAPH_BASE_URL", "TEAMS_APP_ID", "VIRTUAL_ENV", "PYTHONPATH", "PYTEST_CURRENT_TEST")
FOREIGN_PREFIXES = ("RKKBOT_", "MicrosoftApp", "AZURE_")


def first_commands(readme: str) -> list[str]:
    """The commands of the README's first code block, without their comments."""
    block = re.search(r"```sh\n(.*?)```", readme, re.S)
    assert block is not None, "the README starts without a code block"
    return [line.split("#")[0].strip() for line in block[1].splitlines() if line.split("#")[0].strip()]


def trying_it_steps(readme: str) -> dict[int, str]:
    """The numbered steps of "Trying it in the Playground", each as one line of text."""
    section = readme.split("## Trying it in the Playground", 1)[1].split("\n## ", 1)[0]
    steps = re.findall(r"^(\d+)\. (.*?)(?=^\d+\. |^\s*$)", section, re.S | re.M)
    return {int(number): " ".join(text.split()) for number, text in steps}


def commands_in(step: str) -> list[str]:
    """The shell commands a step shows in backticks (not the phrases typed in Teams)."""
    return [code for code in re.findall(r"`([^`]+)`", step) if code.split()[0] in ("make", ".venv/bin/python")]


def test_the_readme_shows_one_demo_command_and_one_test_command() -> None:
    """The README opens with `make demo` and `make test`, and `make test` is what CI runs."""
    assert first_commands(README) == ["make demo", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_command_step_of_trying_it_names_a_command_that_exists() -> None:
    """Steps 1 and 5 of "Trying it" are commands: `make demo`, then the export with the project's Python."""
    steps = trying_it_steps(README)
    assert commands_in(steps[1]) == ["make demo"]
    assert commands_in(steps[5]) == [".venv/bin/python app.py export --format csv"]


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A fresh clone of this repository: its tracked files only, with the working tree's changes to them."""
    snapshot = tracked_snapshot()
    target = tmp_path / "rkkbot"
    subprocess.run(["git", "clone", "--quiet", "--shared", "--no-checkout", str(ROOT), str(target)], check=True)
    subprocess.run(["git", "-C", str(target), "checkout", "--quiet", "--detach", snapshot], check=True)
    return target


@pytest.fixture
def newcomer_env() -> dict[str, str]:
    """This machine's environment without the settings a test run or CI adds."""
    return {
        name: value
        for name, value in os.environ.items()
        if name not in FOREIGN and not name.startswith(FOREIGN_PREFIXES)
    }


@pytest.fixture
def demo(clone: Path, newcomer_env: dict[str, str]) -> Iterator[str]:
    """Step 1, `make demo`, in the clone; yields the Playground address it prints, stops it afterwards."""
    _wait_for_free_ports(DEMO_PORTS, within=180)
    command = commands_in(trying_it_steps(README)[1])[0]
    process = subprocess.Popen(
        shlex.split(command),
        cwd=clone,
        env=newcomer_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: make, the bot and the Playground stop together
    )
    lines = _lines_of(process)
    seen: list[str] = []
    try:
        url = _await_address(lines, seen, within=1200)
        assert url is not None, "make demo never printed the Playground's address:\n" + "".join(seen[-60:])
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_the_readme_steps_work_as_written_on_a_fresh_clone(
    demo: str, clone: Path, newcomer_env: dict[str, str]
) -> None:
    """After `make demo` and an answer in the Playground, step 5 as written (csv, or jsonl) exports that answer."""
    asyncio.run(_answer_in_the_playground(demo))
    step = trying_it_steps(README)[5]
    [command] = commands_in(step)
    assert "(or `jsonl`)" in step
    for shown in (command, command.replace("--format csv", "--format jsonl")):
        second_terminal = subprocess.run(
            shlex.split(shown), cwd=clone, env=newcomer_env, capture_output=True, text=True, timeout=300
        )
        assert second_terminal.returncode == 0, second_terminal.stderr
        assert ANSWER in second_terminal.stdout, second_terminal.stdout
        assert "data/demo.db" in second_terminal.stderr  # it says which database it read


async def _answer_in_the_playground(url: str) -> None:
    """Steps 2 to 4: install the bot in My Team, `@bot post nu`, answer in the card."""
    async with PlaygroundClient(url, timeout=30) as teams:
        await post_and_answer(teams, ANSWER)


def _wait_for_free_ports(ports: tuple[int, ...], within: float) -> None:
    """The demo's fixed ports may be held for a moment by another test's demo: wait, then fail with the reason."""
    deadline = time.monotonic() + within
    while True:
        busy = [port for port in ports if _in_use(port)]
        if not busy:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"`make demo` needs ports {ports}; still in use: {busy}")
        time.sleep(2)


def _in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _lines_of(process: subprocess.Popen[str]) -> queue.Queue[str | None]:
    """The process's output lines as they come (None at its end), read in a thread so waiting can time out."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return lines


def _await_address(lines: queue.Queue[str | None], seen: list[str], within: float) -> str | None:
    """The Playground address `make demo` prints once everything is installed and running."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            return None
        if line is None:
            return None
        seen.append(line)
        match = re.search(r"Open de Microsoft 365 Agents Playground: (http://\S+)", line)
        if match:
            return match[1]
    return None
