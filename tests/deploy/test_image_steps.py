"""The image's build steps (deploy/image-steps.sh, which the Dockerfile's RUN lines call), run here as CI can.

No container engine runs on this machine, so the image itself is not built. What it would hold is: the
steps run on the tracked files (the build context), into a fresh virtual environment with the runtime
requirements only, and the bot installed that way serves /healthz and /readyz and passes the HEALTHCHECK.
"""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.app_process import ROOT, free_port, tracked_snapshot

pytestmark = pytest.mark.timeout(1800)
STEPS = "deploy/image-steps.sh"


def _sh(*args: str, cwd: Path) -> None:
    result = subprocess.run(["sh", *args], cwd=cwd, capture_output=True, text=True, timeout=1500)
    assert result.returncode == 0, f"{' '.join(args)}:\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The build context (tracked files), then `deps`, `app` and `check` as the Dockerfile runs them."""
    base = tmp_path_factory.mktemp("image")
    context, venv, app = base / "context", base / "venv", base / "app"
    context.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", tracked_snapshot()], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(context)], input=archive.stdout, check=True)
    _sh(STEPS, "deps", str(venv), cwd=context)
    _sh(STEPS, "app", str(context), str(app), cwd=context)
    _sh(STEPS, "check", str(venv), str(app), cwd=context)
    return venv, app


@pytest.fixture(scope="module")
def served(image: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """`python app.py serve` from the installed files with the installed environment, as the image's CMD."""
    venv, app = image
    port = free_port()
    data = tmp_path_factory.mktemp("data")
    env = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(data),
        "RKKBOT_CONFIG": "config/demo.yaml",
        "DATABASE_URL": f"sqlite+aiosqlite:///{data / 'bot.db'}",
        "RKKBOT_LOG_FORMAT": "json",
    }
    log = (data / "serve.log").open("w")
    process = subprocess.Popen(
        ["python", "app.py", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=app,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while _status(f"http://127.0.0.1:{port}/healthz") != 200:
            assert process.poll() is None and time.monotonic() < deadline, (data / "serve.log").read_text()
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def test_the_runtime_environment_holds_no_test_or_build_tool(image: tuple[Path, Path]) -> None:
    """The image's environment has the runtime requirements only: no pytest, mypy or ruff."""
    venv, _ = image
    listed = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "list", "--format=json"], capture_output=True, text=True
    )
    names = {package["name"].lower().replace("_", "-") for package in json.loads(listed.stdout)}
    assert {"aiohttp", "botbuilder-core", "prometheus-client", "sqlalchemy", "asyncpg"} <= names
    assert not names & {"pytest", "mypy", "ruff", "jsonschema"}


def test_the_image_holds_the_bot_and_not_the_tests_or_node_tools(image: tuple[Path, Path]) -> None:
    """The installed files are the bot's packages and data, without tests, benchmarks, docs or package.json."""
    _, app = image
    present = {path.name for path in app.iterdir()}
    assert {"app.py", "cli.py", "bot", "rkk", "cards", "config", "i18n", "manifest", "observability"} <= present
    assert not present & {"tests", "bench", "docs", "node_modules", "package.json", ".git", "Dockerfile"}


def test_the_installed_bot_is_live_and_ready(served: int) -> None:
    """Installed by the image's steps, the bot answers /healthz and /readyz with 200."""
    assert _status(f"http://127.0.0.1:{served}/healthz") == 200
    assert _status(f"http://127.0.0.1:{served}/readyz") == 200


def test_the_healthcheck_passes_on_a_live_bot_and_fails_without_one(image: tuple[Path, Path], served: int) -> None:
    """deploy/healthcheck.py exits 0 against the running bot and 1 against a port where nothing listens."""
    venv, app = image
    python = str(venv / "bin" / "python")
    alive = subprocess.run([python, "deploy/healthcheck.py"], cwd=app, env={"PORT": str(served)}, timeout=30)
    dead = subprocess.run(
        [python, "deploy/healthcheck.py"], cwd=app, env={"PORT": str(free_port())}, capture_output=True, timeout=30
    )
    assert (alive.returncode, dead.returncode) == (0, 1)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except OSError:
        return 0
