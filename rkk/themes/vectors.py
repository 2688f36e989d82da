"""Sparse TF-IDF vectors of a window of answers, optionally mixed with stored embeddings."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Mapping, Sequence

import numpy as np
from scipy import sparse

from rkk.themes.model import AnswerFeatures, DetectionParams, HashedBag

logger = logging.getLogger(__name__)

DIMENSION = 1 << 20  # hashed feature space; collisions at this size are negligible for answers


def hash_bag(bag: Mapping[str, float]) -> HashedBag:
    """Hash a bag of weighted features (crc32: stable across processes, unlike hash())."""
    merged: dict[int, float] = {}
    for key, weight in bag.items():
        slot = zlib.crc32(key.encode("utf-8")) % DIMENSION
        merged[slot] = merged.get(slot, 0.0) + weight
    index = np.array(sorted(merged), dtype=np.int32)
    value = np.array([merged[int(i)] for i in index], dtype=np.float32)
    # Sublinear term frequency: a word said three times is not three times the topic.
    value = np.where(value > 1.0, 1.0 + np.log(np.maximum(value, 1.0)), value).astype(np.float32)
    return HashedBag(index=index, value=value)


def _stack(bags: Sequence[HashedBag]) -> sparse.csr_matrix:
    lengths = np.fromiter((len(b.index) for b in bags), dtype=np.int64, count=len(bags))
    indptr = np.concatenate(([0], np.cumsum(lengths)))
    index = np.concatenate([b.index for b in bags]) if bags else np.zeros(0, np.int32)
    value = np.concatenate([b.value for b in bags]) if bags else np.zeros(0, np.float32)
    return sparse.csr_matrix((value, index, indptr), shape=(len(bags), DIMENSION))


def _tfidf(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    n = matrix.shape[0]
    df = np.bincount(matrix.indices, minlength=DIMENSION)
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    weighted = matrix.copy()
    weighted.data = weighted.data * idf[weighted.indices]
    return _normalise(weighted)


def _normalise(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)


def _embeddings(features: Sequence[AnswerFeatures]) -> sparse.csr_matrix | None:
    vectors = [f.vector for f in features]
    if not vectors or any(v is None for v in vectors):
        return None
    dense = np.vstack([np.asarray(v, dtype=np.float32) for v in vectors if v is not None])
    # Centre on the window's mean: raw E5 cosines sit at 0.8-0.9 for any pair of answers.
    dense = dense - dense.mean(axis=0, keepdims=True)
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(dense / norms)


def window_matrix(features: Sequence[AnswerFeatures], params: DetectionParams) -> sparse.csr_matrix:
    """Unit rows whose dot products are the mixed cosine similarities of the answers."""
    words = _tfidf(_stack([f.words for f in features]))
    chars = _tfidf(_stack([f.chars for f in features]))
    alpha = params.word_weight
    lexical = sparse.hstack([words * np.sqrt(alpha), chars * np.sqrt(1.0 - alpha)], format="csr")
    embedded = _embeddings(features)
    if embedded is None or params.embedding_weight <= 0.0:
        return lexical
    beta = params.embedding_weight
    return sparse.hstack([lexical * np.sqrt(1.0 - beta), embedded * np.sqrt(beta)], format="csr")
