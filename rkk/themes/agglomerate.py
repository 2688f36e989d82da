"""Average linkage over groups: themes enter as one node each, and merges must stay coherent.

The average cosine between two groups of unit vectors is the dot product of their sums
divided by both sizes, so a theme already found can enter the clustering as a single node
(its sum and size) and the result equals average linkage that started from its answers.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

logger = logging.getLogger(__name__)


@dataclass
class Node:
    """A group of answers: its row numbers and how often each topical word occurs in it."""

    rows: list[int]
    words: Counter[str]


def _coherent(words: Counter[str], size: int, share: float) -> bool:
    # Most members must hold one topical word: generic words are not in `words` at all.
    return bool(words) and max(words.values()) >= share * size


def agglomerate(matrix: sparse.csr_matrix, nodes: Sequence[Node], min_similarity: float, share: float) -> list[Node]:
    """Merge nodes, closest average cosine first, while it is at least min_similarity."""
    k = len(nodes)
    if k < 2:
        return list(nodes)
    member = sparse.csr_matrix(
        (
            np.ones(sum(len(n.rows) for n in nodes), dtype=np.float32),
            (np.repeat(np.arange(k), [len(n.rows) for n in nodes]), np.concatenate([n.rows for n in nodes])),
        ),
        shape=(k, matrix.shape[0]),
    )
    sums = sparse.csr_matrix(member @ matrix)
    dots = np.asarray((sums @ sums.T).toarray(), dtype=np.float64)
    sizes = np.array([len(n.rows) for n in nodes], dtype=np.float64)
    avg = dots / np.outer(sizes, sizes)
    np.fill_diagonal(avg, -np.inf)
    alive = [Node(list(n.rows), Counter(n.words)) for n in nodes]
    # Best partner of each row, kept up to date so that a merge costs O(k), not O(k^2).
    partner = np.argmax(avg, axis=1)
    best = avg[np.arange(k), partner]
    while True:
        i = int(np.argmax(best))
        j = int(partner[i])
        if best[i] < min_similarity:
            break
        i, j = min(i, j), max(i, j)
        merged_words = alive[i].words + alive[j].words
        if not _coherent(merged_words, len(alive[i].rows) + len(alive[j].rows), share):
            avg[i, j] = avg[j, i] = -np.inf  # never again: generic words must not chain themes
            _refresh(avg, partner, best, [i, j])
            continue
        alive[i] = Node(alive[i].rows + alive[j].rows, merged_words)
        alive[j] = Node([], Counter())
        blocked = (avg[i, :] == -np.inf) | (avg[j, :] == -np.inf)
        dots[i, :] += dots[j, :]
        dots[:, i] = dots[i, :]
        sizes[i] += sizes[j]
        row = dots[i, :] / (sizes[i] * sizes)
        row[blocked] = -np.inf
        avg[i, :] = row
        avg[:, i] = row
        avg[j, :] = -np.inf
        avg[:, j] = -np.inf
        avg[i, i] = -np.inf
        stale = np.flatnonzero((partner == i) | (partner == j))
        _refresh(avg, partner, best, [i, *stale.tolist()])
        better = avg[:, i] > best
        partner[better] = i
        best[better] = avg[better, i]
        best[j] = -np.inf
    return [n for n in alive if n.rows]


def _refresh(avg: np.ndarray, partner: np.ndarray, best: np.ndarray, rows: list[int]) -> None:
    for r in rows:
        partner[r] = int(np.argmax(avg[r]))
        best[r] = avg[r, partner[r]]
