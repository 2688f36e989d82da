"""The vectors of a window of answers: sparse TF-IDF, mixed with the stored embeddings."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from rkk.themes.model import AnswerFeatures, DetectionParams, FloatArray, HashedBag

logger = logging.getLogger(__name__)

DIMENSION = 1 << 20  # hashed feature space; collisions at this size are negligible for answers
MIN_DF = 2  # answers of the window that must hold a feature for it to count


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


def _tfidf(matrix: sparse.csr_matrix, scale: npt.NDArray[np.float64]) -> sparse.csr_matrix:
    """TF-IDF rows of unit length times each row's scale (IDF from these rows only)."""
    n = matrix.shape[0]
    df = np.bincount(matrix.indices, minlength=DIMENSION)
    # A feature held by one answer of the window links it to nothing, it only lengthens the row and
    # so lowers every cosine of a long answer: such features are dropped (min_df = 2).
    held = df[matrix.indices]
    data = matrix.data * (np.log((1.0 + n) / (1.0 + held)) + 1.0) * (held >= MIN_DF)
    norms = np.sqrt(np.add.reduceat(data * data, matrix.indptr[:-1])) if len(data) else np.zeros(n)
    lengths = np.diff(matrix.indptr)
    norms[(norms == 0) | (lengths == 0)] = 1.0
    data = (data * np.repeat(scale / norms, lengths)).astype(np.float32)
    return sparse.csr_matrix((data, matrix.indices, matrix.indptr), shape=matrix.shape)


@dataclass(frozen=True, eq=False)
class WeekRows:
    """One week's topical answers, stacked once: raw hashed bags and embeddings, in id order."""

    ids: tuple[str, ...]
    words: sparse.csr_matrix
    chars: sparse.csr_matrix
    vectors: FloatArray | None  # None when some answer of the week has no embedding
    topical: npt.NDArray[np.float64]  # how many topical words each answer holds


def week_rows(features: Sequence[AnswerFeatures]) -> WeekRows:
    """Stack a week's answers (give them sorted by id, noise left out)."""
    vectors = [f.vector for f in features if f.vector is not None]
    dense = None
    if len(vectors) == len(features):
        dense = np.asarray(np.stack(vectors), dtype=np.float32) if vectors else np.zeros((0, 0), np.float32)
    return WeekRows(
        ids=tuple(f.id for f in features),
        words=_stack([f.words for f in features]),
        chars=_stack([f.chars for f in features]),
        vectors=dense,
        topical=np.array([len(f.core) for f in features], dtype=np.float64),
    )


def _embeddings(weeks: Sequence[WeekRows], min_rows: int) -> FloatArray | None:
    blocks = [w.vectors for w in weeks if w.ids]
    if not blocks or any(b is None for b in blocks):
        return None
    dense = np.vstack([b for b in blocks if b is not None])
    if len(dense) < min_rows:
        # The mean of a handful of answers is mostly what they share: centring on it would erase the
        # very topic that joins them (three answers about MAGDA end up unrelated). Lexical only, then.
        return None
    # Centre on the window's mean: raw E5 cosines sit at 0.8-0.9 for any pair of answers.
    dense = dense - dense.mean(axis=0, keepdims=True)
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(dense / norms, dtype=np.float32)


@dataclass(frozen=True, eq=False)
class WindowVectors:
    """Unit rows, split in sparse lexical blocks (words, character n-grams) and a dense embedding
    block (absent when some answer of the window has no embedding); the dot product of two rows
    is their mixed cosine. The blocks are kept apart so each product runs in its own format."""

    lexical: tuple[sparse.csr_matrix, ...]
    dense: FloatArray | None

    def group_dots(self, member: sparse.csr_matrix) -> npt.NDArray[np.float64]:
        """Dot products of the groups' summed rows; member is groups x rows, 1 where a row belongs."""
        dots = np.zeros((member.shape[0], member.shape[0]), dtype=np.float64)
        for block in self.lexical:
            sums = sparse.csr_matrix(member @ block)
            dots += (sums @ sums.T).toarray()
        if self.dense is not None:
            dense_sums = np.asarray(member @ self.dense, dtype=np.float64)  # dense BLAS, not sparse
            dots += dense_sums @ dense_sums.T
        return dots


def embedding_shares(topical: npt.NDArray[np.float64], params: DetectionParams) -> npt.NDArray[np.float64]:
    """Each answer's share of the embedding in its mixed cosine, from how many topical words it holds.

    An answer with full_lexical_words topical words or more keeps the lexical share (1 -
    embedding_weight) in full; below that the lexical share shrinks in proportion. The lexical row of
    an answer with two topical words is those two words: one of them shared with another answer then
    decides where it goes, whatever the rest of the sentence says, while the embedding reads it whole.
    """
    lexical = np.full(len(topical), 1.0 - params.embedding_weight)
    if params.full_lexical_words > 0:
        lexical *= np.minimum(1.0, topical / params.full_lexical_words)
    return 1.0 - lexical


def window_vectors(weeks: Sequence[WeekRows], params: DetectionParams) -> WindowVectors:
    """The window's rows: word block, character block and, when every answer has one, the embedding."""
    embedded = _embeddings(weeks, params.min_centred_answers) if params.embedding_weight > 0.0 else None
    topical = np.concatenate([w.topical for w in weeks])
    beta = embedding_shares(topical, params) if embedded is not None else np.zeros(len(topical))
    alpha = params.word_weight
    words = _tfidf(sparse.vstack([w.words for w in weeks], format="csr"), np.sqrt(alpha * (1.0 - beta)))
    chars = _tfidf(sparse.vstack([w.chars for w in weeks], format="csr"), np.sqrt((1.0 - alpha) * (1.0 - beta)))
    if embedded is None:
        return WindowVectors((words, chars), None)
    return WindowVectors((words, chars), (embedded * np.sqrt(beta)[:, None]).astype(np.float32))
