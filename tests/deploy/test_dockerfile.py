"""The Dockerfile, read as an administrator reviews it (no container engine runs here to build it).

What it does is checked by running its steps: `tests/deploy/test_image_steps.py` runs the same
`deploy/image-steps.sh` its RUN lines call.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINES = [line.strip() for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ").splitlines()]
INSTRUCTIONS = [line for line in LINES if line and not line.startswith("#")]


def _stages() -> list[list[str]]:
    """The instructions of each build stage, each starting with its FROM line."""
    stages: list[list[str]] = []
    for line in INSTRUCTIONS:
        if line.startswith("FROM "):
            stages.append([])
        if stages:
            stages[-1].append(line)
    return stages


BUILD, FINAL = _stages()


def test_the_base_image_is_slim_python_of_the_projects_version() -> None:
    """Both stages start from the slim image of the Python version the project declares."""
    [base] = re.findall(r"^ARG PYTHON_IMAGE=(\S+)$", "\n".join(INSTRUCTIONS), re.M)
    wanted = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]["python_version"]
    assert re.fullmatch(rf"python:{re.escape(wanted)}-slim-\w+", base)
    assert (BUILD[0], FINAL[0]) == ("FROM ${PYTHON_IMAGE} AS build", "FROM ${PYTHON_IMAGE}")


def test_every_build_step_runs_the_script_ci_runs() -> None:
    """The build stage's RUN lines are deploy/image-steps.sh steps: deps, app and check."""
    build_runs = [line for line in BUILD if line.startswith("RUN ")]
    steps = re.findall(r"image-steps\.sh (\w+)", " ".join(build_runs))
    assert steps == ["deps", "app", "check"]
    assert all(re.fullmatch(r"RUN sh (deploy/)?image-steps\.sh .*", line) for line in build_runs)


def test_the_final_image_runs_as_a_user_without_build_tools() -> None:
    """The final stage creates a system user, switches to it, and installs nothing (no compiler, no apt)."""
    runs = [line for line in FINAL if line.startswith("RUN ")]
    assert len(runs) == 1 and "useradd --system --uid 10001" in runs[0]
    assert not re.search(r"apt-get|apk |gcc|build-essential|pip install", "\n".join(FINAL))
    [user] = [line for line in FINAL if line.startswith("USER ")]
    assert user == "USER 10001:10001"


def test_the_healthcheck_asks_healthz_and_the_image_serves_the_bot() -> None:
    """HEALTHCHECK runs deploy/healthcheck.py (GET /healthz); the command is `app.py serve` on port 3978."""
    [check] = [line for line in FINAL if line.startswith("HEALTHCHECK ")]
    assert check.endswith('CMD ["python", "deploy/healthcheck.py"]')
    assert "/healthz" in (ROOT / "deploy" / "healthcheck.py").read_text(encoding="utf-8")
    assert FINAL[-1] == 'CMD ["python", "app.py", "serve", "--port", "3978"]'
