"""Operator commands on a machine where only the demo is set up, and `migrate-data`'s refusals of a bad target."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

import app
from rkk.answers.export import COLUMNS
from rkk.store.engine import create_engine
from rkk.store.migrate import migrate
from tests.e2e.app_process import ROOT


@pytest.fixture
def demo_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkout where `make demo` ran: the shipped config folder and data/demo.db, no config/rkks.yaml."""
    shutil.copytree(ROOT / "config", tmp_path / "config", ignore=shutil.ignore_patterns("rkks.yaml", "__pycache__"))

    async def create() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'data' / 'demo.db'}")
        await migrate(engine)
        await engine.dispose()

    asyncio.run(create())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_an_operator_command_uses_the_demo_and_says_so(demo_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without config/rkks.yaml but with data/demo.db, `export` reads the demo's database and tells which."""
    assert app.main(["export", "--format", "csv"], env={}) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [",".join(COLUMNS)]  # the header: the demo's database has no answer yet
    assert "config/rkks.yaml bestaat niet" in captured.err and "data/demo.db" in captured.err


def test_serve_never_falls_back_to_the_demo(demo_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`serve` without a config of its own stops with exit 2 and the hint, even when the demo is set up."""
    assert app.main(["serve"], env={}) == 2
    assert "config/rkks.yaml" in capsys.readouterr().err


def test_a_named_config_is_used_as_named(demo_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With RKKBOT_CONFIG set, the demo is not taken instead: a missing file is an error that names it."""
    assert app.main(["export"], env={"RKKBOT_CONFIG": "config/mine.yaml"}) == 2
    assert "config/mine.yaml" in capsys.readouterr().err


def test_migrate_data_refuses_a_source_that_does_not_exist(
    demo_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A DATABASE_URL naming a SQLite file that is not there exits 2 instead of copying an empty new database."""
    target = "postgresql+asyncpg://postgres@127.0.0.1:5432/never_used"
    assert app.main(["migrate-data", "--to", target], env={"DATABASE_URL": "sqlite+aiosqlite:///data/typo.db"}) == 2
    assert "data/typo.db bestaat niet" in capsys.readouterr().err
    assert not (demo_folder / "data" / "typo.db").exists()


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("mysql://root@localhost/rkk", "--to moet beginnen met"),
        ("not a url", "--to is geen database-URL"),
        ("sqlite+aiosqlite:///data/demo.db", "dezelfde database"),
    ],
)
def test_migrate_data_refuses_a_target_it_cannot_or_must_not_fill(
    demo_folder: Path, capsys: pytest.CaptureFixture[str], target: str, message: str
) -> None:
    """Another driver, garbage or the source itself as --to: exit 2 with the reason, nothing copied."""
    assert app.main(["migrate-data", "--to", target], env={}) == 2
    assert message in capsys.readouterr().err
