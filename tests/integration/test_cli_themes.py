"""`python app.py themes` on a JSONL file, as an analyst runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEV_SET = ROOT.parent / "shared" / "data" / "answers-dev.jsonl"


def _run(*args: str, tmp_path: Path, config: Path = ROOT / "config" / "demo.yaml") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "RKKBOT_CONFIG": str(config),
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}",
    }
    return subprocess.run(
        [sys.executable, "app.py", "themes", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.skipif(not DEV_SET.exists(), reason="../shared/data/answers-dev.jsonl is not beside the repository")
def test_themes_json_lists_magda_as_a_recurring_theme(tmp_path: Path) -> None:
    """The dev set's MAGDA answers come out as one recurring theme with a recognisable label."""
    result = _run("--input", str(DEV_SET), "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    themes = json.loads(result.stdout)["themes"]
    magda = [t for t in themes if "MAGDA" in t["label"]]
    assert len(magda) == 1 and magda[0]["recurring"] is True
    assert {"label", "terms", "answer_ids", "rkks", "besturen", "recurring"} <= set(magda[0])


def test_themes_refuses_a_broken_file_naming_the_line(tmp_path: Path) -> None:
    """A bad JSONL line gives exit 2 and a message with the line number, not a traceback."""
    broken = tmp_path / "answers.jsonl"
    broken.write_text(
        '{"id": "a", "rkk": "r", "bestuur": "b", "text": "t", "week": "2026-W10"}\n{kapot\n', encoding="utf-8"
    )
    result = _run("--input", str(broken), tmp_path=tmp_path)
    assert result.returncode == 2
    assert "line 2" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not DEV_SET.exists(), reason="../shared/data/answers-dev.jsonl is not beside the repository")
def test_themes_on_a_file_needs_no_config(tmp_path: Path) -> None:
    """An analyst without a bot config gets the themes under the default rule, and is told so."""
    result = _run("--input", str(DEV_SET), tmp_path=tmp_path, config=tmp_path / "missing.yaml")
    assert result.returncode == 0, result.stderr
    assert "standaardregel: 5 besturen, 2 RKK's, 8 weken" in result.stderr
    assert "MAGDA documentendienst" in result.stdout


def test_themes_on_an_empty_database_says_there_are_none(tmp_path: Path) -> None:
    """Without --input the bot's own database is read (and brought up to date): none yet."""
    result = _run(tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Geen thema's gevonden."
