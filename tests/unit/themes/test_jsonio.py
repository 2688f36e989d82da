"""Reading answers from JSON lines and writing themes as JSON."""

from __future__ import annotations

import json

import pytest

from rkk.themes import AnswerLineError, detect_themes, read_answers_jsonl, themes_to_json

GOOD = json.dumps({"id": "a1", "rkk": "kempen", "bestuur": "Geel", "text": "MFA voor iedereen", "week": "2026-W10"})


def test_good_lines_become_answers() -> None:
    """Each JSON object becomes one answer; blank lines are skipped."""
    answers = read_answers_jsonl([GOOD, "", "  "])
    assert [(a.id, a.bestuur, a.week) for a in answers] == [("a1", "Geel", "2026-W10")]


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"id": "a2", "rkk": "x", "bestuur": "y", "week": "2026-W10"}', "missing field(s): text"),
        ('{"id": 3, "rkk": "x", "bestuur": "y", "text": "t", "week": "2026-W10"}', "must be text: id"),
        ('{"id": "a2", "rkk": "x", "bestuur": "y", "text": "t", "week": "week 10"}', "week must look like"),
    ],
)
def test_bad_line_error_names_the_line(bad: str, reason: str) -> None:
    """A bad line raises AnswerLineError with its line number and what is wrong."""
    with pytest.raises(AnswerLineError, match=rf"^line 3: .*{reason[:12]}") as caught:
        read_answers_jsonl([GOOD, "", bad])
    assert caught.value.line_number == 3


def test_duplicate_id_names_both_lines() -> None:
    """An id used twice is refused, naming where it was first used."""
    with pytest.raises(AnswerLineError, match="line 2: id 'a1' already used on line 1"):
        read_answers_jsonl([GOOD, GOOD])


def test_themes_json_has_the_contract_fields(dev_answers: list) -> None:
    """Every theme in the JSON carries label, terms, answer_ids, rkks, besturen and recurring."""
    document = themes_to_json(detect_themes(dev_answers))
    assert document["themes"]
    for theme in document["themes"]:
        assert {"label", "terms", "answer_ids", "rkks", "besturen", "recurring"} <= set(theme)
    json.dumps(document)
