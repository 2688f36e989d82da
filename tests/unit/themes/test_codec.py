"""The stored form of features keeps what labels and descriptions need."""

from __future__ import annotations

from dataclasses import replace

from rkk.themes import FEATURES_VERSION, ThemeQuestion, featurize, from_record, to_record

from .conftest import answer


def test_text_and_question_survive_the_round_trip() -> None:
    """A restored answer still has its text (labels and descriptions quote it) and its question id."""
    question = ThemeQuestion("q7", "Welke samenwerking loopt goed?")
    original = featurize(
        replace(answer("a1", "De samenwerking rond het e-depot loopt goed."), question_id="q7"), {"q7": question}
    )
    record = to_record(original)
    back = from_record(record)
    assert (back.text, back.question) == (original.text, "q7")
    assert record.version == FEATURES_VERSION == 3
