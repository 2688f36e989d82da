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

from rkk.themes.vectors import WindowVectors

logger = logging.getLogger(__name__)


@dataclass
class Node:
    """A group of answers: its row numbers and how often each topical word occurs in it."""

    rows: list[int]
    words: Counter[str]


def _merged_top(big: Counter[str], top: int, small: Counter[str]) -> int:
    """The highest word count of big + small, given big's highest count: O(len(small))."""
    return max([top, *(big[word] + count for word, count in small.items())])


def agglomerate(vectors: WindowVectors, nodes: Sequence[Node], min_similarity: float, share: float) -> list[Node]:
    """Merge nodes, closest average cosine first, while it is at least min_similarity."""
    k = len(nodes)
    if k < 2:
        return list(nodes)
    member = sparse.csr_matrix(
        (
            np.ones(sum(len(n.rows) for n in nodes), dtype=np.float32),
            (np.repeat(np.arange(k), [len(n.rows) for n in nodes]), np.concatenate([n.rows for n in nodes])),
        ),
        shape=(k, vectors.lexical[0].shape[0]),
    )
    dots = vectors.group_dots(member)
    sizes = np.array([len(n.rows) for n in nodes], dtype=np.float64)
    avg = dots / np.outer(sizes, sizes)
    np.fill_diagonal(avg, -np.inf)
    alive = [Node(list(n.rows), Counter(n.words)) for n in nodes]
    # Most members of a group must hold one topical word (generic words are not in `words`):
    # each group's highest word count is kept, so the check costs the smaller group's words.
    tops = [max(n.words.values(), default=0) for n in alive]
    dead = np.zeros(k, dtype=bool)
    blocked: dict[int, set[int]] = {}  # pairs that failed the coherence check, by node
    # Best partner of each row, kept up to date so that a merge costs O(k), not O(k^2).
    partner = np.argmax(avg, axis=1)
    best = avg[np.arange(k), partner]
    while True:
        i = int(best.argmax())
        if best[i] < min_similarity:
            break
        i, j = sorted((i, int(partner[i])))
        big, small = (i, j) if len(alive[i].words) >= len(alive[j].words) else (j, i)
        top = _merged_top(alive[big].words, tops[big], alive[small].words)
        if top < share * (len(alive[i].rows) + len(alive[j].rows)):
            avg[i, j] = avg[j, i] = -np.inf  # never again: generic words must not chain themes
            blocked.setdefault(i, set()).add(j)
            blocked.setdefault(j, set()).add(i)
            _refresh(avg, partner, best, np.array([i, j]))
            continue
        merged_words = alive[big].words
        merged_words.update(alive[small].words)
        alive[i] = Node(alive[i].rows + alive[j].rows, merged_words)
        alive[j] = Node([], Counter())
        tops[i] = top
        dead[j] = True
        sizes[i] += sizes[j]
        row = dots[i] + dots[j]
        dots[i] = row
        dots[:, i] = row
        row = row / (sizes[i] * sizes)
        row[dead] = -np.inf
        row[i] = -np.inf
        walls = blocked.pop(i, set()) | blocked.pop(j, set())
        walls.discard(i)
        walls.discard(j)
        if walls:
            blocked[i] = walls
            for other in walls:
                blocked[other] = (blocked[other] - {j}) | {i}
            row[list(walls)] = -np.inf
        avg[i] = row
        avg[:, i] = row
        avg[j] = -np.inf
        avg[:, j] = -np.inf
        best[j] = -np.inf
        stale = np.flatnonzero((partner == i) | (partner == j))
        stale = stale[~dead[stale]]
        _refresh(avg, partner, best, np.append(stale, i) if i not in stale else stale)
        better = row > best
        partner[better] = i
        best[better] = row[better]
    return [n for n in alive if n.rows]


def _refresh(avg: np.ndarray, partner: np.ndarray, best: np.ndarray, rows: np.ndarray) -> None:
    partner[rows] = np.argmax(avg[rows], axis=1)
    best[rows] = avg[rows, partner[rows]]
