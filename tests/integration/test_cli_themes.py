"""`python app.py themes` on a JSONL file, as an analyst runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from i18n.catalog import Catalog
from rkk.crosspost.refresh import refresh_themes
from rkk.model import AuditEntry
from rkk.store.engine import create_engine
from rkk.store.migrate import migrate
from rkk.store.rounds.sql_store import SqlStore
from tests.integration.crosspost.conftest import World
from tests.unit.crosspost.examples import MAGDA, PHISHING

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


async def test_themes_from_the_database_show_the_coordinators_names_and_descriptions(
    tmp_path: Path, texts: Catalog, now: datetime
) -> None:
    """Without --input the stored themes print under the name a coordinator gave, each with its description."""
    store = SqlStore(create_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"))
    await migrate(store.engine)
    world = World(store, texts, now)
    await world.setup()
    await world.seed(MAGDA + PHISHING)
    refreshed = await refresh_themes(world.themes, world.settings.rule, now)
    [magda] = [t for t in refreshed.themes if t.label == "MAGDA documentendienst"]
    entry = AuditEntry(now, "aad-global", "Griet", "theme_rename", None, magda.key, None)
    await world.themes.rename_theme(magda.key, "MAGDA zonder papier", entry)
    await store.engine.dispose()
    table = _run(tmp_path=tmp_path)
    assert table.returncode == 0, table.stderr
    assert "MAGDA zonder papier" in table.stdout and "MAGDA documentendienst" not in table.stdout
    assert f"  {magda.description}" in table.stdout.splitlines()
    listed = json.loads(_run("--json", tmp_path=tmp_path).stdout)["themes"]
    [named] = [t for t in listed if t["key"] == magda.key]
    assert (named["label"], named["description"]) == ("MAGDA zonder papier", magda.description)
