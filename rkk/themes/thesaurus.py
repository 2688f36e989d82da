"""The domain thesaurus applied to an answer's words: multi-word names, compounds and typing errors."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache, lru_cache

from rkk.themes.lemmas import LINKS, MIN_HEAD, MIN_MODIFIER, part_known
from rkk.themes.lexicon import MIN_AFFIX, Concept, load_lexicon

logger = logging.getLogger(__name__)

MIN_FUZZY = 8  # words this long may differ from a variant by one typing error (souvereiniteit)


@cache
def _index() -> dict[tuple[str, ...], Concept]:
    return {v: c for c in load_lexicon().concepts for v in c.variants}


@cache
def concept(key: str) -> Concept:
    """A concept by its key."""
    return load_lexicon().by_key()[key]


def concept_span(lowers: Sequence[str], lemmas: Sequence[str], start: int) -> tuple[Concept, int] | None:
    """The longest thesaurus name that starts at word `start`, as written or as lemmas, and its length."""
    index = _index()
    for n in range(min(load_lexicon().max_variant_len, len(lowers) - start), 0, -1):
        hit = index.get(tuple(lowers[start : start + n])) or index.get(tuple(lemmas[start : start + n]))
        if hit is not None:
            return hit, n
    return None


def _linked(left: str) -> bool:
    """Whether a compound's first part is a known word, with or without a linking s/e/en."""
    for link in LINKS:
        if link and not left.endswith(link):
            continue
        stem = left[: len(left) - len(link)] if link else left
        if len(stem) >= MIN_MODIFIER and part_known(stem):
            return True
    return False


@lru_cache(maxsize=200_000)
def concept_inside(lower: str) -> str | None:
    """The concept a compound holds as its head or first part (cloudtelefonie, phishingsimulatie).

    The head is tried first: a Dutch compound names its subject last.
    """
    affixes = load_lexicon().affixes
    if lower in affixes:
        return None  # the word is a variant itself, not a compound
    for cut in range(MIN_MODIFIER, len(lower) - MIN_AFFIX + 1):
        if lower[cut:] in affixes and _linked(lower[:cut]):
            return affixes[lower[cut:]]
    for cut in range(len(lower) - MIN_HEAD, MIN_AFFIX - 1, -1):
        left, right = lower[:cut], lower[cut:]
        for link in LINKS:
            if link and not left.endswith(link):
                continue
            stem = left[: len(left) - len(link)] if link else left
            if stem in affixes and part_known(right):
                return affixes[stem]
    return None


def _one_edit(a: str, b: str) -> bool:
    """Whether a and b differ by one insertion, deletion, substitution or swap of neighbours."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i = diff[0]
        return len(diff) == 2 and diff[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


@lru_cache(maxsize=200_000)
def concept_like(lower: str) -> str | None:
    """The concept of a long word the dictionary does not know that is one typing error from a variant."""
    if len(lower) < MIN_FUZZY or part_known(lower):
        return None
    hits = sorted({key for variant, key in load_lexicon().affixes.items() if _one_edit(lower, variant)})
    return hits[0] if len(hits) == 1 else None  # ambiguous: no guess
