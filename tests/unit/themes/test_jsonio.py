"""Reading answers from JSON lines and writing themes as JSON."""

from __future__ import annotations

import json

import pytest

from rkk.themes import AnswerLineError, detect_themes, read_answers_jsonl, themes_to_json

GOOD = json.dumps({"id": "a1", "rkk": "kempen", "bestuur": "Geel", "text": "MFA voor iedereen", "week": "2026-W10"})


def test_good_lines_become_answers() -> None:
    """Each JSON object becomes one answer; blank lines are skipped."""
    answers, questions = read_answers_jsonl([GOOD, "", "  "])
    assert [(a.id, a.bestuur, a.week, a.question_id) for a in answers] == [("a1", "Geel", "2026-W10", None)]
    assert questions == {}


def _line(id: str, question: str) -> str:
    return json.dumps(
        {"id": id, "rkk": "kempen", "bestuur": "Geel", "text": "MFA", "week": "2026-W10", "question": question}
    )


def test_answers_to_equal_question_texts_share_one_question() -> None:
    """The optional `question` text becomes a ThemeQuestion that answers to the same text share."""
    answers, questions = read_answers_jsonl(
        [_line("a1", "Wat loopt goed?"), _line("a2", "Wat loopt  goed? "), _line("a3", "Wat loopt stroef?")]
    )
    assert answers[0].question_id == answers[1].question_id != answers[2].question_id
    assert {q.text for q in questions.values()} == {"Wat loopt goed?", "Wat loopt stroef?"}
    assert all(questions[a.question_id].id == a.question_id for a in answers if a.question_id)


def test_question_ids_do_not_depend_on_line_order() -> None:
    """A question keeps its id whichever answer to it comes first in the file."""
    forward, _ = read_answers_jsonl([_line("a1", "Eén?"), _line("a2", "Twee?")])
    backward, _ = read_answers_jsonl([_line("a2", "Twee?"), _line("a1", "Eén?")])
    assert {a.id: a.question_id for a in forward} == {a.id: a.question_id for a in backward}


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"id": "a2", "rkk": "x", "bestuur": "y", "week": "2026-W10"}', "missing field(s): text"),
        ('{"id": 3, "rkk": "x", "bestuur": "y", "text": "t", "week": "2026-W10"}', "must be text: id"),
        ('{"id": "a2", "rkk": "x", "bestuur": "y", "text": "t", "week": "week 10"}', "week must look like"),
        ('{"id": "a2", "rkk": "x", "bestuur": "y", "text": "t", "week": "2026-W10", "question": 7}', "must be text"),
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
    """Every theme in the JSON carries label, description, terms, answer_ids, rkks, besturen and recurring."""
    document = themes_to_json(detect_themes(dev_answers))
    assert document["themes"]
    for theme in document["themes"]:
        assert {"label", "description", "terms", "answer_ids", "rkks", "besturen", "recurring"} <= set(theme)
        assert theme["description"]
    json.dumps(document)
