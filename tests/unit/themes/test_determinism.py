"""The same answers give the same themes, whatever their order."""

from __future__ import annotations

import random

from rkk.themes import ThemeAnswer, detect_themes


def test_same_input_gives_same_output(dev_answers: list[ThemeAnswer]) -> None:
    """Two runs over the same answers agree exactly."""
    assert detect_themes(dev_answers) == detect_themes(dev_answers)


def test_shuffled_input_gives_same_output(dev_answers: list[ThemeAnswer]) -> None:
    """The order answers arrive in within the input does not change the themes."""
    shuffled = list(dev_answers)
    random.Random(3).shuffle(shuffled)
    assert detect_themes(shuffled) == detect_themes(dev_answers)
