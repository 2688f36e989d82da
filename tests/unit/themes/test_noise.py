"""Answers without a topic never form or join a theme."""

from __future__ import annotations

import pytest

from rkk.themes import detect_themes, featurize

from .conftest import answer
from .test_detection import MAGDA

NOISE = [
    "idem",
    "Idem bij ons.",
    "ja",
    "Ja hoor",
    "goede vraag",
    "Goed punt 👍",
    "👍",
    "+1",
    "Bedankt!",
    "Zelfde vraag hier.",
]


@pytest.mark.parametrize("text", NOISE)
def test_chatter_is_noise(text: str) -> None:
    """Fillers, thanks, agreement and emoji carry no topic."""
    assert featurize(answer("n", text)).noise


def test_noise_never_forms_a_theme() -> None:
    """Many noise answers from many besturen make no theme at all."""
    answers = [answer(f"n{i}", text, bestuur=f"B{i}", rkk=f"r{i % 3}") for i, text in enumerate(NOISE * 2)]
    assert detect_themes(answers) == []


def test_noise_never_joins_a_theme() -> None:
    """Chatter posted next to a MAGDA discussion stays out of the MAGDA theme."""
    noise = [answer(f"n{i}", text, week="2026-W11") for i, text in enumerate(NOISE)]
    themed = {aid for t in detect_themes(MAGDA + noise) for aid in t.answer_ids}
    assert not themed & {a.id for a in noise}


def test_dev_noise_stays_out_of_themes(dev_answers: list, dev_labels: dict[str, str]) -> None:
    """No answer labelled noise in the dev set ends up in a theme."""
    themed = {aid for t in detect_themes(dev_answers) for aid in t.answer_ids}
    assert not {aid for aid, label in dev_labels.items() if label == "noise"} & themed
