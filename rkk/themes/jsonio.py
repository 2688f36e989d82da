"""The JSON shapes of the `themes` command: answers in (JSON lines), themes out."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from rkk.themes.features import week_index
from rkk.themes.model import Theme, ThemeAnswer

logger = logging.getLogger(__name__)

_FIELDS = ("id", "rkk", "bestuur", "text", "week")


class AnswerLineError(ValueError):
    """A line of an answers file that cannot be read; the message names the line."""

    def __init__(self, line_number: int, reason: str) -> None:
        super().__init__(f"line {line_number}: {reason}")
        self.line_number = line_number
        self.reason = reason


def _answer(line_number: int, line: str) -> ThemeAnswer:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise AnswerLineError(line_number, f"not valid JSON ({e.msg})") from e
    if not isinstance(record, dict):
        raise AnswerLineError(line_number, "expected a JSON object")
    missing = [name for name in _FIELDS if name not in record]
    if missing:
        raise AnswerLineError(line_number, f"missing field(s): {', '.join(missing)}")
    wrong = [name for name in _FIELDS if not isinstance(record[name], str)]
    if wrong:
        raise AnswerLineError(line_number, f"field(s) must be text: {', '.join(wrong)}")
    try:
        week_index(record["week"])
    except ValueError as e:
        raise AnswerLineError(line_number, f"week must look like 2026-W10, got {record['week']!r}") from e
    question = record.get("question_id")
    return ThemeAnswer(
        id=record["id"],
        rkk=record["rkk"],
        bestuur=record["bestuur"],
        text=record["text"],
        week=record["week"],
        question_id=str(question) if question else None,
    )


def read_answers_jsonl(lines: Iterable[str]) -> list[ThemeAnswer]:
    """Answers from JSON lines (blank lines skipped); AnswerLineError names the first bad line."""
    answers = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        answer = _answer(number, line)
        if answer.id in seen:
            raise AnswerLineError(number, f"id {answer.id!r} already used on line {seen[answer.id]}")
        seen[answer.id] = number
        answers.append(answer)
    return answers


def themes_to_json(themes: Sequence[Theme]) -> dict[str, Any]:
    """The `themes --json` document: {"themes": [{label, terms, answer_ids, ...}, ...]}."""
    return {
        "themes": [
            {
                "key": t.key,
                "label": t.label,
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
