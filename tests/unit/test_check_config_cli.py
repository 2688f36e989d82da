"""`python app.py check-config` reports a broken config file with its line and setting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BROKEN = """\
rkks:
  - key: antwerpen
    name: RKK Antwerpen
    team: RKK Antwerpen
  - key: kempen
    name: RKK Kempen
    team: RKK Kempen
    channel: ""
"""


def check_config(config: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run check-config against the given file with an otherwise clean environment."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("MicrosoftApp") and name not in ("DATABASE_URL", "GRAPH_BASE_URL")
    }
    env.update(RKKBOT_CONFIG=str(config), DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'check.db'}")
    return subprocess.run(
        [sys.executable, "app.py", "check-config"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_config_exits_2_naming_file_line_and_setting(tmp_path: Path) -> None:
    """A broken setting makes check-config exit 2 with "file:line: setting: problem" on stderr."""
    (tmp_path / "questions.yaml").write_text((ROOT / "config" / "questions.yaml").read_text(encoding="utf-8"))
    config = tmp_path / "rkks.yaml"
    config.write_text(BROKEN, encoding="utf-8")
    result = check_config(config, tmp_path)
    assert result.returncode == 2, result.stderr
    assert f"rkkbot: {config}:8: rkks[1].channel: must be non-empty text" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_config_on_a_missing_file_suggests_the_example(tmp_path: Path) -> None:
    """Without a config file check-config exits 2 and points at config/rkks.example.yaml."""
    result = check_config(tmp_path / "rkks.yaml", tmp_path)
    assert result.returncode == 2
    assert f"{tmp_path / 'rkks.yaml'}: file not found" in result.stderr
    assert "config/rkks.example.yaml" in result.stderr


def test_check_config_accepts_the_example_config(tmp_path: Path) -> None:
    """The shipped example passes and check-config exits 0 with a summary."""
    result = check_config(ROOT / "config" / "rkks.example.yaml", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Configuratie in orde" in result.stdout


def test_check_config_reports_an_impossible_date_without_a_traceback(tmp_path: Path) -> None:
    """A pause on 30 February makes check-config exit 2 with the file and line, not a traceback."""
    (tmp_path / "questions.yaml").write_text((ROOT / "config" / "questions.yaml").read_text(encoding="utf-8"))
    config = tmp_path / "rkks.yaml"
    config.write_text(BROKEN.replace('    channel: ""\n', "") + "pauses:\n  - from: 2026-02-30\n    to: 2026-03-05\n")
    result = check_config(config, tmp_path)
    assert result.returncode == 2
    assert f"{config}:9" in result.stderr


def test_check_config_says_how_kennismomenten_get_their_teams_meeting(tmp_path: Path) -> None:
    """Without Graph credentials the coordinators paste the link, whatever the organiser in the config."""
    result = check_config(ROOT / "config" / "rkks.example.yaml", tmp_path)
    assert "kennismomenten: coördinatoren plakken de link naar de Teams-vergadering (geen Microsoft Graph)" in (
        result.stdout
    )
