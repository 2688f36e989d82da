"""The JSON shapes of the `themes` command: answers in (JSON lines), themes out."""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from rkk.themes.features import week_index
from rkk.themes.model import Theme, ThemeAnswer, ThemeQuestion

logger = logging.getLogger(__name__)

_FIELDS = ("id", "rkk", "bestuur", "text", "week")


class AnswerLineError(ValueError):
    """A line of an answers file that cannot be read; the message names the line."""

    def __init__(self, line_number: int, reason: str) -> None:
        super().__init__(f"line {line_number}: {reason}")
        self.line_number = line_number
        self.reason = reason


class AnswerFile(NamedTuple):
    """The answers of a file and the questions they answer (by question id)."""

    answers: list[ThemeAnswer]
    questions: dict[str, ThemeQuestion]


def question_id(text: str) -> str:
    """A stable id for a question text: equal texts (spacing aside) share it, whatever the line order."""
    normal = " ".join(text.split())
    return f"q-{zlib.crc32(normal.encode('utf-8')):08x}"


def _record(line_number: int, line: str) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise AnswerLineError(line_number, f"not valid JSON ({e.msg})") from e
    if not isinstance(record, dict):
        raise AnswerLineError(line_number, "expected a JSON object")
    missing = [name for name in _FIELDS if name not in record]
    if missing:
        raise AnswerLineError(line_number, f"missing field(s): {', '.join(missing)}")
    wrong = [name for name in (*_FIELDS, "question") if name in record and not isinstance(record[name], str)]
    if wrong:
        raise AnswerLineError(line_number, f"field(s) must be text: {', '.join(wrong)}")
    try:
        week_index(record["week"])
    except ValueError as e:
        raise AnswerLineError(line_number, f"week must look like 2026-W10, got {record['week']!r}") from e
    return record


def _answer(record: dict[str, Any], questions: dict[str, ThemeQuestion]) -> ThemeAnswer:
    qid = str(record["question_id"]) if record.get("question_id") else None
    text = record.get("question", "").strip()
    if text:
        qid = qid or question_id(text)
        questions.setdefault(qid, ThemeQuestion(qid, text))
    return ThemeAnswer(
        id=record["id"],
        rkk=record["rkk"],
        bestuur=record["bestuur"],
        text=record["text"],
        week=record["week"],
        question_id=qid,
    )


def read_answers_jsonl(lines: Iterable[str]) -> AnswerFile:
    """Answers and their questions from JSON lines (blank lines skipped).

    An optional `question` field holds the text of the weekly question; answers to equal texts
    share one ThemeQuestion, so the file gives theme detection the same context the bot has.
    AnswerLineError names the first bad line.
    """
    answers = []
    questions: dict[str, ThemeQuestion] = {}
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        answer = _answer(_record(number, line), questions)
        if answer.id in seen:
            raise AnswerLineError(number, f"id {answer.id!r} already used on line {seen[answer.id]}")
        seen[answer.id] = number
        answers.append(answer)
    return AnswerFile(answers, questions)


def themes_to_json(themes: Sequence[Theme]) -> dict[str, Any]:
    """The `themes --json` document: {"themes": [{label, description, terms, answer_ids, ...}, ...]}."""
    return {
        "themes": [
            {
                "key": t.key,
                "label": t.label,
                "description": t.description,
                "terms": list(t.terms),
                "answer_ids": list(t.answer_ids),
                "rkks": list(t.rkks),
                "besturen": list(t.besturen),
                "first_week": t.first_week,
                "last_week": t.last_week,
                "recurring": t.recurring,
            }
            for t in themes
        ]
    }
