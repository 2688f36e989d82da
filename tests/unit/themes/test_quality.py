"""Quality on the labelled dev set, as the bot computes it: lexical features and embeddings."""

from __future__ import annotations

import pytest

from rkk.themes import Quality, ThemeAnswer, detect_themes, evaluate
from rkk.themes.evaluate import adjusted_rand_index
from rkk.themes.model import FloatArray


@pytest.fixture(scope="module")
def quality(dev_answers: list[ThemeAnswer], dev_labels: dict[str, str], dev_vectors: dict[str, FloatArray]) -> Quality:
    """The figures of one detection run over the dev set."""
    return evaluate(dev_labels, detect_themes(dev_answers, vectors=dev_vectors))


def test_ari_of_identical_labellings_is_one() -> None:
    """Renamed but identical clusterings agree perfectly."""
    assert adjusted_rand_index(["a", "a", "b"], ["x", "x", "y"]) == pytest.approx(1.0)


def test_dev_set_ari_reaches_target(quality: Quality) -> None:
    """Adjusted Rand index over all dev answers is at least 0.8."""
    assert quality.ari >= 0.8


def test_dev_set_recurring_precision_reaches_target(quality: Quality) -> None:
    """At least 90% of the recurring themes found match a true rode draad."""
    assert quality.precision >= 0.9


def test_dev_set_recurring_recall_reaches_target(quality: Quality) -> None:
    """At least 90% of the true rode draden are found as recurring themes."""
    assert quality.recall >= 0.9
